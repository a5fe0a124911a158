using ChatApp.Chat;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Chat;

public sealed class PresenceGraceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _clock = new();
    private readonly List<(string Name, long Ticket)> _expired = [];
    private readonly PresenceGrace _grace;

    public PresenceGraceTests() => _grace = new PresenceGrace(Grace, _clock, (name, ticket) => _expired.Add((name, ticket)));

    [Fact]
    public void ThePartIsDueOnlyWhenTheGraceRunsOutWithNobodyBack()
    {
        Assert.True(_grace.Begin("jim"));
        _clock.Advance(Grace - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_expired);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var (name, ticket) = Assert.Single(_expired);
        Assert.Equal("jim", name);
        Assert.True(_grace.Expire(name, ticket));
        Assert.False(_grace.IsWaiting("jim"));
    }

    [Fact]
    public void AReconnectWithinTheGraceCancelsThePart()
    {
        _grace.Begin("jim");
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(_grace.Cancel("JIM"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(_expired);
        Assert.False(_grace.Cancel("jim")); // nothing was waiting any more
    }

    [Fact]
    public void AnExpiryReportedJustBeforeAReconnectNoLongerStands()
    {
        _grace.Begin("jim");
        _clock.Advance(Grace);
        var (name, ticket) = Assert.Single(_expired);
        // The report is still queued for the room's loop when the user comes back...
        Assert.True(_grace.Cancel("jim"));
        Assert.False(_grace.Expire(name, ticket));
        // ...and a report from an earlier grace does not end a later one.
        _grace.Begin("jim");
        Assert.False(_grace.Expire(name, ticket));
        Assert.True(_grace.IsWaiting("jim"));
    }

    [Fact]
    public void WithoutGraceThePartIsDueAtOnce()
    {
        using var none = new PresenceGrace(TimeSpan.Zero, _clock, (name, ticket) => _expired.Add((name, ticket)));
        Assert.False(none.Begin("jim"));
        Assert.False(none.IsWaiting("jim"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(_expired);
    }

    [Fact]
    public void UsersHaveGracesOfTheirOwn()
    {
        _grace.Begin("ann");
        _clock.Advance(TimeSpan.FromSeconds(3));
        _grace.Begin("bob");
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["ann"], _expired.Select(e => e.Name));
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["ann", "bob"], _expired.Select(e => e.Name));
    }

    [Fact]
    public void PresenceKeepsAUserListedWithNoConnectionUntilDropped()
    {
        var presence = new DefaultRoomPresence();
        Assert.True(presence.Add("jim"));
        Assert.True(presence.Remove("jim"));
        Assert.Equal(["jim"], presence.OnlineNames());
        Assert.False(presence.Add("Jim")); // back within the grace: not a join
        Assert.False(presence.Drop("jim")); // has a connection again
        Assert.True(presence.Remove("jim"));
        Assert.True(presence.Drop("jim"));
        Assert.Empty(presence.OnlineNames());
        Assert.True(presence.Add("jim"));
    }
}
