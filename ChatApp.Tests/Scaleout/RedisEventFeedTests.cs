using ChatApp.Scaleout;
using ChatApp.Tests.Infrastructure;
using StackExchange.Redis;

namespace ChatApp.Tests.Scaleout;

public sealed class RedisEventFeedTests
{
    [Fact]
    public async Task EveryNodeAppliesEveryEventOnceInIdOrder()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");

        var sends = Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? a : b).SayAsync("ann", $"m{i}")).ToList();
        await Task.WhenAll(sends);
        await a.SayAsync("ann", "end");

        foreach (var node in new[] { a, b })
        {
            var ids = (await node.UntilAsync("end")).Select(e => e.Id).ToList();
            Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i), ids);
        }
    }

    [Fact]
    public async Task ANodeThatStartsLateReadsWhatTheLogHoldsAfterItsLastAppliedIdFirst()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        for (var i = 1; i <= 5; i++) await a.SayAsync("ann", $"m{i}");

        await using var late = await ScaleoutNode.StartAsync(redis, "late", lastApplied: 2);
        await a.SayAsync("ann", "live");

        Assert.Equal(["m3", "m4", "m5", "live"], (await late.UntilAsync("live")).Select(e => e.Text));
    }

    [Fact]
    public async Task AnEventWhosePublicationWasLostIsReadFromTheLogWhenTheNextOneArrives()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await a.SayAsync("ann", "one");
        // An entry in the log that was never published, as if the publication were lost.
        await a.Redis.GetDatabase().StreamAddAsync(a.Keys.Log, "e", BusEventCodec.Encode(a.Message("ann", "unpublished")), "2-0");
        await a.Redis.GetDatabase().StringSetAsync(a.Keys.Sequence, 2);
        await a.SayAsync("ann", "three");

        var applied = await a.UntilAsync("three");

        Assert.Equal(["one", "unpublished", "three"], applied.Select(e => e.Text));
        Assert.Equal([1L, 2, 3], applied.Select(e => e.Id));
    }

    [Fact]
    public async Task ANodeCatchesUpOnWhatItMissedWhileItsConnectionWasDown()
    {
        await using var redis = await RedisServer.StartAsync(appendOnly: true);
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await a.SayAsync("ann", "before");
        await a.UntilAsync("before");

        // Everything the node's subscription would have carried is lost with the server's restart; the log is not.
        await redis.RestartAsync();
        await using var writer = await redis.ConnectAsync();
        var other = new RedisEventLog(writer, a.Keys, a.Options, a.Clock);
        await RedisEventLogTests.RetryAsync(() => other.AppendAsync(a.Message("bob", "while away"), "bob", null, 1));
        await RedisEventLogTests.RetryAsync(() => a.SayAsync("ann", "after"));

        Assert.Equal(["while away", "after"], (await a.UntilAsync("after")).Select(e => e.Text));
    }
}
