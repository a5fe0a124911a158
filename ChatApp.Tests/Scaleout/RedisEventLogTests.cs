using ChatApp.Chat;
using ChatApp.Scaleout;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

public sealed class RedisEventLogTests
{
    [Fact]
    public async Task EventsFromTwoNodesGetConsecutiveIdsInOneOrder()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");

        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await a.SayAsync("ann", $"a{i}")).Id);
            ids.Add((await b.SayAsync("bob", $"b{i}")).Id);
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), ids);
    }

    [Fact]
    public async Task ARepeatedClientIdOnAnotherNodeAnswersTheStoredEventInsteadOfASecond()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");

        var first = await a.SayAsync("ann", "once", clientId: "c-1");
        var again = await b.SayAsync("ann", "once", clientId: "c-1");
        var otherUser = await b.SayAsync("bob", "mine", clientId: "c-1");

        Assert.Equal(AppendOutcome.Stored, first.Outcome);
        Assert.Equal(AppendOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("once", BusEventCodec.Decode(again.Id, again.StoredJson!).Event.Text);
        Assert.Equal(AppendOutcome.Stored, otherUser.Outcome);
        Assert.Equal(first.Id + 1, (await a.Log.TopAsync()));
        Assert.Equal(first.Id + 1, otherUser.Id);
    }

    [Fact]
    public async Task TheRateLimitCountsAUsersSendsOnEveryNodeAndRefillsWithTime()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b", a.Clock);
        var limit = new RateLimitOptions { Messages = 4, PerSeconds = 10 };

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(AppendOutcome.Stored, (await a.SayAsync("ann", "x", limit: limit)).Outcome);
            Assert.Equal(AppendOutcome.Stored, (await b.SayAsync("ann", "x", limit: limit)).Outcome);
        }
        Assert.Equal(AppendOutcome.RateLimited, (await b.SayAsync("ann", "over", limit: limit)).Outcome);
        Assert.Equal(AppendOutcome.Stored, (await b.SayAsync("bob", "someone else", limit: limit)).Outcome);

        a.Clock.Advance(TimeSpan.FromSeconds(2.5)); // one token back (4 per 10 s)
        Assert.Equal(AppendOutcome.Stored, (await a.SayAsync("ann", "again", limit: limit)).Outcome);
        Assert.Equal(AppendOutcome.RateLimited, (await a.SayAsync("ann", "over", limit: limit)).Outcome);
    }

    [Fact]
    public async Task IdsNeverGoBelowTheCallersFloorSoARedisThatLostItsDataCannotReuseThem()
    {
        await using var redis = await RedisServer.StartAsync(appendOnly: false);
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        for (var i = 0; i < 5; i++) await a.SayAsync("ann", $"m{i}");
        await a.UntilAsync("m4");
        Assert.Equal(5, a.Feed.LastApplied);

        await redis.RestartAsync(); // no AOF: the sequence and the log are gone
        var next = await RetryAsync(() => a.SayAsync("ann", "after the restart"));

        Assert.Equal(6, next.Id);
    }

    [Fact]
    public async Task WithAppendOnlyFileARestartedRedisKeepsTheLogAndTheSequence()
    {
        await using var redis = await RedisServer.StartAsync(appendOnly: true);
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        for (var i = 0; i < 3; i++) await a.SayAsync("ann", $"m{i}");

        await redis.RestartAsync();
        // With a clientId, as clients retry: an attempt that Redis ran but whose answer the restart lost (seen once in a
        // full run) makes the retry a duplicate of id 4, not a second entry.
        var next = await RetryAsync(() => a.Log.AppendAsync(a.Message("ann", "after", clientId: "after-restart"), "ann", null, floor: 0));

        Assert.Equal(4, next.Id);
        Assert.Equal(["m0", "m1", "m2", "after"], (await a.Log.ReadAfterAsync(0)).Select(e => BusEventCodec.Decode(e.Id, e.Json).Event.Text));
    }

    /// <summary>Retries while the node's connection comes back after a Redis restart (bounded).</summary>
    internal static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (true)
        {
            try { return await action(); }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
