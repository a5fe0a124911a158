using ChatApp.Api;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Profiles;

public sealed class PrivateMessageTests
{
    [Fact]
    public async Task APrivateMessageReachesEveryConnectionOfBothPartiesAndNobodyElse()
    {
        await using var server = await ChatServer.StartAsync();
        await using var carl = await server.JoinAsync("carl");
        await using var ann1 = await server.JoinAsync("ann");
        await using var ann2 = await server.ConnectAsync(ann1.Token!);
        await using var bob1 = await server.JoinAsync("bob");
        await using var bob2 = await server.ConnectAsync(bob1.Token!);

        await ann1.SendJsonAsync(new { type = "message", text = "just for bob", to = "BOB", clientId = "p1" });
        await ann1.SendJsonAsync(new { type = "message", text = "for everyone" });

        foreach (var socket in new[] { ann1, ann2, bob1, bob2 })
        {
            var received = await socket.ExpectMessageAsync("just for bob");
            Assert.Equal("bob", received.Text("to")); // the name as claimed, not as typed
            Assert.Equal("ann", received.Text("from"));
        }
        // The room delivers in order: had carl been sent the private message, it would come before this one.
        Assert.Equal("for everyone", (await carl.NextAsync(f => f.IsMessage())).Text("text"));
    }

    [Fact]
    public async Task ARecipientWhoWasOfflineFindsThePrivateMessageInTheReplay()
    {
        await using var server = await ChatServer.StartAsync();
        var bobToken = await server.SignInAsync("bob");
        await using var ann = await server.JoinAsync("ann");
        var before = server.Service<ChatRoom>().LastId;

        await ann.SendJsonAsync(new { type = "message", text = "while you were out", to = "bob" });
        var sent = await ann.ExpectMessageAsync("while you were out");

        await using var bob = await server.ConnectAsync(bobToken);
        var replayed = Assert.Single(bob.Replay, e => e.Text("text") == "while you were out");
        Assert.True(replayed.GetProperty("replay").GetBoolean());
        Assert.Equal(sent.GetProperty("id").GetInt64(), replayed.GetProperty("id").GetInt64());

        await using var bobSince = await server.ConnectAsync(bobToken, since: before);
        Assert.Equal(sent.GetProperty("id").GetInt64(), Assert.Single(bobSince.Replay, e => e.IsMessage()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task APrivateMessageToANameNeverClaimedIsRefusedAsUnknownUser()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendJsonAsync(new { type = "message", text = "hello?", to = "nobody", clientId = "u1" });

        var error = await ann.ExpectAsync("error");
        Assert.Equal("unknown_user", error.Text("code"));
        Assert.Equal("u1", error.Text("clientId"));
    }

    [Fact]
    public async Task AThirdUserNeverSeesAPrivateMessageInReplayOrOverHttp()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        using var bob = server.Client(await server.SignInAsync("bob"));
        var carlToken = await server.SignInAsync("carl");
        using var carl = server.Client(carlToken);

        var (_, stored) = await ann.PostJsonAsync("/api/messages", new { text = "secret", to = "bob" });
        await ann.PostJsonAsync("/api/messages", new { text = "public" });
        Assert.Equal("bob", stored.Text("to"));

        Assert.Equal(["secret", "public"], (await ann.MessagesAsync("?since=0")).Select(e => e.Text("text")));
        Assert.Equal(["secret", "public"], (await bob.MessagesAsync("?since=0")).Select(e => e.Text("text")));
        Assert.Equal(["public"], (await carl.MessagesAsync("?since=0")).Select(e => e.Text("text")));
        await using var carlSocket = await server.ConnectAsync(carlToken, since: 0);
        Assert.DoesNotContain(carlSocket.Replay, e => e.Text("text") == "secret");
        await using var carlRecent = await server.ConnectAsync(carlToken);
        Assert.Equal(["public"], carlRecent.Replay.Select(e => e.Text("text")));
    }

    [Fact]
    public async Task ThePrivateRecipientsLongPollWakesButAThirdUsersDoesNot()
    {
        // A fake clock that only the test moves: a poll that ends while time stands still was woken by an event.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(clock: clock);
        using var ann = server.Client(await server.SignInAsync("ann"));
        using var bob = server.Client(await server.SignInAsync("bob"));
        using var carl = server.Client(await server.SignInAsync("carl"));
        var since = server.Service<ChatRoom>().LastId;

        var bobPoll = bob.MessagesAsync($"?since={since}&wait=10");
        var carlPoll = carl.MessagesAsync($"?since={since}&wait=3");
        var quota = server.Service<LongPollQuota>();
        await Eventually.ThatAsync(() => quota.Waiting("bob") == 1 && quota.Waiting("carl") == 1, "both polls wait");
        await ann.PostJsonAsync("/api/messages", new { text = "psst", to = "bob" });

        Assert.Equal("psst", Assert.Single(await bobPoll.WaitAsync(ChatServer.Timeout)).Text("text"));
        // carl's poll ends only when its three seconds have passed: the private message did not wake it.
        var start = clock.GetUtcNow();
        await Eventually.ThatAsync(() =>
        {
            if (carlPoll.IsCompleted) return true;
            clock.Advance(TimeSpan.FromMilliseconds(250));
            return false;
        }, "carl's poll runs out");
        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromSeconds(3), $"carl's poll ended early, after {clock.GetUtcNow() - start}");
        Assert.Empty(await carlPoll);
    }
}
