using ChatApp.Scaleout;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

public sealed class RedisPresenceTests
{
    [Fact]
    public async Task AUserWithConnectionsOnTwoNodesJoinsOnceAndPartsWhenTheLastOneCloses()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");

        Assert.NotEqual(0, await a.Presence.ConnectAsync("a", "a:1", "ann", "Ann", a.Feed.LastApplied));
        Assert.Equal(0, await b.Presence.ConnectAsync("b", "b:1", "ann", "Ann", b.Feed.LastApplied));
        Assert.Equal(["Ann"], await b.Presence.RosterAsync());
        Assert.Equal(0, await a.Presence.DisconnectAsync("a:1", a.Feed.LastApplied));
        Assert.Equal(["Ann"], await a.Presence.RosterAsync());
        Assert.NotEqual(0, await b.Presence.DisconnectAsync("b:1", b.Feed.LastApplied));
        Assert.Empty(await a.Presence.RosterAsync());
        await a.SayAsync("bob", "marker");

        var seen = await a.UntilAsync("marker");
        Assert.Equal(["join Ann", "part Ann", "message"], seen.Select(e => e.SystemEvent is { } s ? $"{s} {e.User}" : "message"));
        Assert.Equal(["Ann joined", "Ann left"], seen.Take(2).Select(e => e.Text));
    }

    [Fact]
    public async Task ClosingAConnectionTwiceOrOneNeverOpenedPartsNobody()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await a.Presence.ConnectAsync("a", "a:1", "ann", "ann", 0);
        await a.Presence.ConnectAsync("a", "a:2", "ann", "ann", 0);

        Assert.Equal(0, await a.Presence.DisconnectAsync("a:1", 0));
        Assert.Equal(0, await a.Presence.DisconnectAsync("a:1", 0));
        Assert.Equal(0, await a.Presence.DisconnectAsync("nobody", 0));
        Assert.Equal(["ann"], await a.Presence.RosterAsync());
    }

    [Fact]
    public async Task TheUsersOfANodeWhoseHeartbeatRanOutArePartedByTheSurvivorsSweep()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b", a.Clock);
        Assert.False(await a.Presence.HeartbeatAsync("a", 0)); // new
        Assert.False(await b.Presence.HeartbeatAsync("b", 0));
        await a.Presence.ConnectAsync("a", "a:1", "ann", "ann", 0);
        await b.Presence.ConnectAsync("b", "b:1", "bob", "bob", 0);
        await b.Presence.ConnectAsync("b", "b:2", "ann", "ann", 0);

        // b dies: a keeps beating, b does not.
        a.Clock.Advance(TimeSpan.FromSeconds(a.Options.NodeTimeoutSeconds - 1));
        Assert.True(await a.Presence.HeartbeatAsync("a", 0));
        Assert.Equal(0, await a.Presence.SweepAsync(0));
        a.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await a.Presence.SweepAsync(0));
        Assert.Equal(0, await a.Presence.SweepAsync(0)); // a second sweep finds nothing left

        Assert.Equal(["ann"], await a.Presence.RosterAsync());
        await a.SayAsync("ann", "marker");
        var notices = (await a.UntilAsync("marker")).Where(e => e.SystemEvent is not null).Select(e => $"{e.SystemEvent} {e.User}");
        Assert.Equal(["join ann", "join bob", "part bob"], notices);

        // b comes back to life: Redis no longer knows it, so it must register its connections again.
        Assert.False(await b.Presence.HeartbeatAsync("b", 0));
    }

    [Fact]
    public async Task AUserWhoReconnectsWithinTheGraceOnAnotherNodeNeitherPartsNorJoinsAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        var options = new ScaleoutOptions { PresenceGraceSeconds = 5 };
        await using var a = await ScaleoutNode.StartAsync(redis, "a", options: options);
        await using var b = await ScaleoutNode.StartAsync(redis, "b", a.Clock, options);
        await a.Presence.ConnectAsync("a", "a:1", "ann", "ann", 0);

        await a.Presence.DisconnectAsync("a:1", 0);
        a.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(0, await b.Presence.ConnectAsync("b", "b:1", "ann", "ann", 0));
        a.Clock.Advance(TimeSpan.FromSeconds(10));
        await a.Presence.SweepAsync(0);
        Assert.Equal(["ann"], await a.Presence.RosterAsync());

        await b.Presence.DisconnectAsync("b:1", 0);
        await a.Presence.SweepAsync(0);
        Assert.Equal(["ann"], await a.Presence.RosterAsync()); // still within the grace
        a.Clock.Advance(TimeSpan.FromSeconds(5));
        await a.Presence.SweepAsync(0);
        Assert.Empty(await a.Presence.RosterAsync());

        await a.SayAsync("bob", "marker");
        var notices = (await a.UntilAsync("marker")).Where(e => e.SystemEvent is not null).Select(e => e.SystemEvent);
        Assert.Equal(["join", "part"], notices);
    }

    [Fact]
    public async Task ANodeStartingAgainUnderTheSameIdDropsTheConnectionsOfItsPreviousLife()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await a.Presence.HeartbeatAsync("a", 0);
        await a.Presence.ConnectAsync("a", "a:old", "ann", "ann", 0);

        Assert.Equal(1, await a.Presence.SweepAsync(0, restartedNode: "a"));

        Assert.Empty(await a.Presence.RosterAsync());
    }
}
