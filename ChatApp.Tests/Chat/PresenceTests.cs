using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

public sealed class PresenceTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string[] Users(JsonElement roster) =>
        roster.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToArray();

    private static bool IsSystem(JsonElement e, string kind, string user) =>
        e.GetProperty("event").GetString() == kind && e.GetProperty("user").GetString() == user;

    [Fact]
    public async Task TheRosterComesOnceAfterReplaySortedCaseInsensitivelyThenTheOwnJoin()
    {
        await using var bob = await _server.JoinAsync("bob");
        await using var ann = await _server.JoinAsync("Ann");
        await using var carl = await _server.JoinAsync("carl");
        Assert.Equal(["Ann", "bob", "carl"], Users(carl.Roster));
        var firstLive = await carl.ReceiveJsonAsync();
        Assert.Equal("system", TestSocket.Type(firstLive));
        Assert.True(IsSystem(firstLive, "join", "carl"));
        Assert.Equal("carl joined", firstLive.GetProperty("text").GetString());
    }

    [Fact]
    public async Task OthersSeeJoinAndPartAndNoFullRosterPerChange()
    {
        await using var watcher = await _server.JoinAsync("watcher");
        await using (var jim = await _server.JoinAsync("jim"))
        {
            var join = await watcher.ExpectAsync("system", e => IsSystem(e, "join", "jim"));
            Assert.Equal("jim joined", join.GetProperty("text").GetString());
        }
        var part = await watcher.ReceiveJsonAsync();
        Assert.Equal("system", TestSocket.Type(part)); // the part, not a roster frame
        Assert.True(IsSystem(part, "part", "jim"));
        Assert.Equal("jim left", part.GetProperty("text").GetString());
    }

    [Fact]
    public async Task OneUserWithThreeConnectionsMakesOneJoinOnePartAndOneRosterEntry()
    {
        await using var watcher = await _server.JoinAsync("watcher");
        var tab1 = await _server.JoinAsync("jim");
        var tab2 = await _server.ConnectAsync(tab1.Token!);
        var tab3 = await _server.ConnectAsync(tab1.Token!);
        Assert.Equal(["jim", "watcher"], Users(tab3.Roster));

        await tab1.DisposeAsync();
        await tab2.DisposeAsync();
        await watcher.SendJsonAsync(new { type = "message", text = "still two tabs?" });
        await tab3.ExpectMessageAsync("still two tabs?");
        await tab3.DisposeAsync();

        var seen = new List<JsonElement>();
        while (true)
        {
            var frame = await watcher.ReceiveJsonAsync();
            seen.Add(frame);
            if (TestSocket.Type(frame) == "system" && IsSystem(frame, "part", "jim")) break;
        }
        Assert.Single(seen, e => TestSocket.Type(e) == "system" && IsSystem(e, "join", "jim"));
        Assert.DoesNotContain(seen, e => TestSocket.Type(e) == "roster");
        var roster = await _server.Service<ChatApp.Chat.ChatRoom>().RosterAsync().WaitAsync(ChatServer.Timeout);
        Assert.Equal(["watcher"], roster);
    }

    [Fact]
    public async Task AnAbruptlyDroppedConnectionStillParts()
    {
        await using var watcher = await _server.JoinAsync("watcher");
        var jim = await _server.JoinAsync("jim");
        await watcher.ExpectAsync("system", e => IsSystem(e, "join", "jim"));
        jim.Abort();
        await watcher.ExpectAsync("system", e => IsSystem(e, "part", "jim"));
    }
}
