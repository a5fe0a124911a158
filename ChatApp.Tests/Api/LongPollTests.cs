using System.Net;
using ChatApp.Api;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Api;

/// <summary>
/// The server runs on a fake clock that only the test moves: a poll that ends while time stands still was
/// woken by an event, and a wait runs out only when the test advances time past it.
/// </summary>
public sealed class LongPollTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private Task<ChatServer> StartAsync() => ChatServer.StartAsync(clock: _clock);

    private static Task PollsWaitingAsync(ChatServer server, string user, int count) =>
        Eventually.ThatAsync(() => server.Service<LongPollQuota>().Waiting(user) == count, $"{count} long poll(s) of {user} wait");

    /// <summary>Moves time on until <paramref name="poll"/> ends; returns how much time that took.</summary>
    private async Task<TimeSpan> AdvanceUntilDoneAsync(Task poll)
    {
        var start = _clock.GetUtcNow();
        await Eventually.ThatAsync(() =>
        {
            if (poll.IsCompleted) return true;
            _clock.Advance(TimeSpan.FromMilliseconds(250));
            return false;
        }, "the poll's wait runs out");
        return _clock.GetUtcNow() - start;
    }

    [Fact]
    public async Task ALongPollReturnsAsSoonAsAWebSocketClientSpeaks()
    {
        await using var server = await StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        await using var bob = await server.JoinAsync("bob");
        var since = server.Service<ChatRoom>().LastId;

        var poll = ann.MessagesAsync($"?since={since}&wait=10");
        await PollsWaitingAsync(server, "ann", 1);
        await bob.SendJsonAsync(new { type = "message", text = "wake up" });
        var events = await poll.WaitAsync(ChatServer.Timeout); // time stood still: the message woke it
        var message = Assert.Single(events);
        Assert.Equal("message", message.Text("type"));
        Assert.Equal("wake up", message.Text("text"));
        Assert.Equal("bob", message.Text("from"));
    }

    [Fact]
    public async Task ALongPollAnswersAnEmptyArrayWhenTheWaitRunsOut()
    {
        await using var server = await StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        var since = server.Service<ChatRoom>().LastId;

        var poll = ann.MessagesAsync($"?since={since}&wait=1");
        await PollsWaitingAsync(server, "ann", 1);

        Assert.True(await AdvanceUntilDoneAsync(poll) >= TimeSpan.FromSeconds(1), "the poll ended before its wait ran out");
        Assert.Empty(await poll);
    }

    [Fact]
    public async Task ALongPollWithEventsAlreadyThereAnswersAtOnce()
    {
        await using var server = await StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        await ann.PostJsonAsync("/api/messages", new { text = "already here" });

        var events = await ann.MessagesAsync("?since=0&wait=30"); // time stands still: it did not wait
        Assert.Equal("already here", Assert.Single(events).Text("text"));
    }

    [Fact]
    public async Task AWaitOverSixtySecondsIsAcceptedAsTheCap()
    {
        await using var server = await StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        await ann.PostJsonAsync("/api/messages", new { text = "here" });

        Assert.Single(await ann.MessagesAsync("?since=0&wait=3600"));
    }

    [Fact]
    public async Task AWaitingLongPollIsNotPresence()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");
        using var bob = server.Client(await server.SignInAsync("bob"));
        var since = server.Service<ChatRoom>().LastId;

        var poll = bob.MessagesAsync($"?since={since}&wait=2");
        await PollsWaitingAsync(server, "bob", 1);
        var (status, roster) = await bob.GetJsonAsync("/api/roster");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["ann"], roster.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        await AdvanceUntilDoneAsync(poll);
        Assert.Empty(await poll);

        // Neither the poll's start nor its end announced bob: the marker is the next thing ann hears about anyone else.
        await ann.SendJsonAsync(new { type = "message", text = "marker" });
        var next = await ann.NextAsync(f => f.IsMessage() || (TestSocket.Type(f) == "system" && f.Text("user") != "ann"));
        Assert.Equal("marker", next.Text("text"));
    }

    [Fact]
    public async Task AUserMayHaveOnlyEightLongPollsWaitingAtOnce()
    {
        await using var server = await StartAsync();
        var token = await server.SignInAsync("ann");
        var since = server.Service<ChatRoom>().LastId;
        using var waiting = server.Client(token);
        using var stop = new CancellationTokenSource(ChatServer.Timeout);

        var polls = Enumerable.Range(0, 8).Select(_ => waiting.GetAsync($"/api/messages?since={since}&wait=10", stop.Token)).ToList();
        await PollsWaitingAsync(server, "ann", 8);

        using var ann = server.Client(token);
        var (status, body) = await ann.GetJsonAsync($"/api/messages?since={since}&wait=10");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("too_many_waiters", body.Text("error"));
        // A poll that does not wait is not held against the cap.
        Assert.Empty(await ann.MessagesAsync($"?since={since}"));

        // Abandoned polls give their places back.
        await stop.CancelAsync();
        await Task.WhenAll(polls.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(ChatServer.Timeout);
        await PollsWaitingAsync(server, "ann", 0);
        var again = ann.GetJsonAsync($"/api/messages?since={since}&wait=1");
        await AdvanceUntilDoneAsync(again);
        Assert.Equal(HttpStatusCode.OK, (await again).Status);
    }
}
