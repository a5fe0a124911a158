using System.Diagnostics;
using System.Net;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

public sealed class LongPollTests
{
    [Fact]
    public async Task ALongPollReturnsAsSoonAsAWebSocketClientSpeaks()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        await using var bob = await server.JoinAsync("bob");
        var since = server.Service<ChatRoom>().LastId;

        var clock = Stopwatch.StartNew();
        var poll = ann.MessagesAsync($"?since={since}&wait=10");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(poll.IsCompleted, "the poll should be waiting: nothing has been said yet");
        await bob.SendJsonAsync(new { type = "message", text = "wake up" });
        var events = await poll.WaitAsync(ChatServer.Timeout);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the poll took {clock.Elapsed}, the event came after 0.3 s");
        var message = Assert.Single(events);
        Assert.Equal("message", message.Text("type"));
        Assert.Equal("wake up", message.Text("text"));
        Assert.Equal("bob", message.Text("from"));
    }

    [Fact]
    public async Task ALongPollAnswersAnEmptyArrayWhenTheWaitRunsOut()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        var since = server.Service<ChatRoom>().LastId;

        var clock = Stopwatch.StartNew();
        var events = await ann.MessagesAsync($"?since={since}&wait=1");

        Assert.Empty(events);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ALongPollWithEventsAlreadyThereAnswersAtOnce()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        await ann.PostJsonAsync("/api/messages", new { text = "already here" });

        var clock = Stopwatch.StartNew();
        var events = await ann.MessagesAsync("?since=0&wait=30");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the poll took {clock.Elapsed}");
        Assert.Equal("already here", Assert.Single(events).Text("text"));
    }

    [Fact]
    public async Task AWaitOverSixtySecondsIsAcceptedAsTheCap()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        await ann.PostJsonAsync("/api/messages", new { text = "here" });

        Assert.Single(await ann.MessagesAsync("?since=0&wait=3600"));
    }

    [Fact]
    public async Task AWaitingLongPollIsNotPresence()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        using var bob = server.Client(await server.SignInAsync("bob"));
        var since = server.Service<ChatRoom>().LastId;

        var poll = bob.MessagesAsync($"?since={since}&wait=2");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var (status, roster) = await bob.GetJsonAsync("/api/roster");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["ann"], roster.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Empty(await poll.WaitAsync(ChatServer.Timeout));

        // Neither the poll's start nor its end announced bob: the marker is the next thing ann hears about anyone else.
        await ann.SendJsonAsync(new { type = "message", text = "marker" });
        var next = await ann.NextAsync(f => f.IsMessage() || (TestSocket.Type(f) == "system" && f.Text("user") != "ann"));
        Assert.Equal("marker", next.Text("text"));
    }

    [Fact]
    public async Task AUserMayHaveOnlyEightLongPollsWaitingAtOnce()
    {
        await using var server = await ChatServer.StartAsync();
        var token = await server.SignInAsync("ann");
        var since = server.Service<ChatRoom>().LastId;
        using var waiting = server.Client(token);
        using var stop = new CancellationTokenSource(ChatServer.Timeout);

        var polls = Enumerable.Range(0, 8).Select(_ => waiting.GetAsync($"/api/messages?since={since}&wait=10", stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.All(polls, p => Assert.False(p.IsCompleted));

        using var ann = server.Client(token);
        var (status, body) = await ann.GetJsonAsync($"/api/messages?since={since}&wait=10");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("too_many_waiters", body.Text("error"));
        // A poll that does not wait is not held against the cap.
        Assert.Empty(await ann.MessagesAsync($"?since={since}"));

        // Abandoned polls give their places back.
        await stop.CancelAsync();
        await Task.WhenAll(polls.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(ChatServer.Timeout);
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (true)
        {
            (status, _) = await ann.GetJsonAsync($"/api/messages?since={since}&wait=1");
            if (status == HttpStatusCode.OK) break;
            Assert.True(DateTime.UtcNow < deadline, "the cancelled polls never gave their places back");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
