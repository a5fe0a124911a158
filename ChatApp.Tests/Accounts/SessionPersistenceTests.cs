using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using ChatApp.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Accounts;

public sealed class SessionPersistenceTests
{
    [Fact]
    public async Task CookiesAndTokensStillWorkAfterARestartOnTheSameDataDir()
    {
        await using var server = await ChatServer.StartAsync();
        var (token, cookie) = await server.SignInWithCookieAsync("eve");

        await server.RestartAsync();

        Assert.True(File.Exists(Path.Combine(server.DataDir, "chat.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(server.DataDir, "keys")));
        var again = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(new { name = "eve" }) };
        again.Headers.Add("Cookie", cookie);
        again.Headers.Add("Origin", server.Origin);
        using var client2 = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await client2.SendAsync(again)).StatusCode);
        await using var socket = await server.ConnectAsync(token);
        Assert.Equal("eve", socket.Welcome.GetProperty("user").GetString());
    }

    [Fact]
    public async Task AReleasedNameIsANewUserWhoSeesNoneOfTheOldOwnersPrivateEvents()
    {
        // A password-less name is released NameReleaseDays after its owner was last here.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(new() { ["Chat:NameReleaseDays"] = "1" }, clock: clock);
        var annToken = await server.SignInAsync("ann");
        await using (var old = await server.JoinAsync("olduser"))
        {
            await old.SendJsonAsync(new { type = "message", text = "secret for ann", to = "ann" });
            await old.ExpectMessageAsync("secret for ann");
        }
        await Eventually.ThatAsync(async () => (await server.Service<ChatApp.Chat.ChatRoom>().RosterAsync()).Count == 0, "olduser has left");
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var newOwnerToken = await server.SignInAsync("olduser"); // a newcomer, without the old cookie or token
        await using var newOwner = await server.ConnectAsync(newOwnerToken, since: 0);
        Assert.DoesNotContain(newOwner.Replay, e => e.TryGetProperty("text", out var t) && t.GetString() == "secret for ann");
        await using var annSocket = await server.ConnectAsync(annToken, since: 0);
        Assert.Contains(annSocket.Replay, e => e.TryGetProperty("text", out var t) && t.GetString() == "secret for ann");
    }

    [Fact]
    public async Task AReleasedNamesOwnerKeepsItWithTheirTokenOverStompAsOverWsUntilSomeoneElseClaimsIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(new() { ["Chat:NameReleaseDays"] = "1" }, clock: clock);
        var oldToken = await server.SignInAsync("olduser");
        await using (await server.ConnectAsync(oldToken)) { }
        await Eventually.ThatAsync(async () => (await server.Service<ChatApp.Chat.ChatRoom>().RosterAsync()).Count == 0, "olduser has left");

        // Released, but nobody has claimed it: the owner's token still signs them in, over STOMP as over /ws and HTTP.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var (stomp, connected) = await RawStompClient.ConnectAsync(server, "olduser", oldToken);
        Assert.Equal("olduser", connected["user-name"]);
        await stomp.DisposeAsync();
        await Eventually.ThatAsync(async () => (await server.Service<ChatApp.Chat.ChatRoom>().RosterAsync()).Count == 0, "olduser has left again");

        // Released again and claimed by a newcomer: the old token signs nobody in, over either.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        await server.SignInAsync("olduser");
        await using var refused = await RawStompClient.OpenAsync(server);
        await refused.SendAsync($"CONNECT\naccept-version:1.2\nlogin:olduser\npasscode:{oldToken}\n\n\0");
        var error = await refused.ReceiveAsync();
        Assert.Equal(("ERROR", "unauthorized"), (error.Command, error["message"]));
        using var http = server.Client(oldToken);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/roster")).StatusCode);
    }

    [Fact]
    public async Task AClaimOfAReleasedNameThatCannotBeStoredLeavesTheOldOwnerAsTheyWereOnDiskAndInMemory()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(new() { ["Chat:NameReleaseDays"] = "1" }, clock: clock);
        await server.SignInAsync("ann");
        var oldToken = await server.SignInAsync("olduser");
        await using (var old = await server.ConnectAsync(oldToken))
        {
            await old.SendJsonAsync(new { type = "message", text = "secret for ann", to = "ann" });
            await old.ExpectMessageAsync("secret for ann");
        }
        await Eventually.ThatAsync(async () => (await server.Service<ChatApp.Chat.ChatRoom>().RosterAsync()).Count == 0, "olduser has left");
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var file = SqliteFile.In(server.DataDir);

        // The new owner's row is refused, as a crash there would leave it unwritten: after the old owner's rows are deleted.
        file.Execute("CREATE TRIGGER refuse_claim BEFORE INSERT ON Users BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        using var client = server.Client();
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsJsonAsync("/api/session", new { name = "olduser" })).StatusCode);
        file.Execute("DROP TRIGGER refuse_claim");

        Assert.Equal(1, file.Scalar("SELECT COUNT(*) FROM Users WHERE NameKey = 'OLDUSER'"));
        Assert.Equal(1, file.Scalar("SELECT COUNT(*) FROM Sessions WHERE NameKey = 'OLDUSER'"));
        // Memory too still holds the old owner and their session (no restart reads the disk again).
        using var oldClient = server.Client(oldToken);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/api/messages?since=0")).StatusCode);
        // Released again, the name's next owner is a newcomer who sees none of the old owner's private events.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var newToken = await server.SignInAsync("olduser");
        await using var newOwner = await server.ConnectAsync(newToken, since: 0);
        Assert.DoesNotContain(newOwner.Replay, e => e.TryGetProperty("text", out var t) && t.GetString() == "secret for ann");
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("/api/messages?since=0")).StatusCode);
    }

    [Fact]
    public async Task OfManyClaimsOfOneReleasedNameAtOnceExactlyOneWinsAndOnlyItsSessionIsStored()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(new() { ["Chat:NameReleaseDays"] = "1" }, clock: clock);
        var oldToken = await server.SignInAsync("crowd");
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        using var client = server.Client();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsJsonAsync("/api/session", new { name = "crowd" })))
            .WaitAsync(TimeSpan.FromSeconds(60));
        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a != winner), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var token = (await winner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var file = SqliteFile.In(server.DataDir);
        Assert.Equal(1, file.Scalar("SELECT COUNT(*) FROM Users WHERE NameKey = 'CROWD'"));
        Assert.Equal(1, file.Scalar("SELECT COUNT(*) FROM Sessions WHERE NameKey = 'CROWD'"));
        await server.RestartAsync();
        await using var socket = await server.ConnectAsync(token);
        Assert.Equal("crowd", socket.Welcome.GetProperty("user").GetString());
        using var oldClient = server.Client(oldToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("/api/messages?since=0")).StatusCode);
    }
}
