using ChatApp.Connections;

namespace ChatApp.Tests.Connections;

public sealed class TrimmableBlockPoolTests
{
    [Fact]
    public void AReturnedBlockIsHandedOutAgainUntilThePoolIsTrimmed()
    {
        using var pool = new TrimmableBlockPool();
        var first = pool.Rent();
        first.Memory.Span[0] = 42;
        first.Dispose();
        Assert.Equal(1, pool.Cached);

        using var again = pool.Rent();
        Assert.True(again.Memory.Span.Overlaps(first.Memory.Span)); // the same block
        again.Dispose();

        Assert.Equal(1, pool.Trim());
        Assert.Equal(0, pool.Cached);
        using var fresh = pool.Rent();
        Assert.False(fresh.Memory.Span.Overlaps(first.Memory.Span));
    }

    [Fact]
    public void BlocksAreFourKilobytesAndLargerRequestsAreRefused()
    {
        using var pool = new TrimmableBlockPool();
        using var block = pool.Rent(100);
        Assert.Equal(4096, block.Memory.Length);
        Assert.Equal(4096, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(4097));
    }

    [Fact]
    public void ABlockDisposedTwiceGoesBackOnce()
    {
        using var pool = new TrimmableBlockPool();
        var block = pool.Rent();
        block.Dispose();
        block.Dispose();
        Assert.Equal(1, pool.Cached);
        Assert.Equal(0, pool.Rented);
        using var a = pool.Rent();
        using var b = pool.Rent();
        Assert.False(a.Memory.Span.Overlaps(b.Memory.Span));
    }

    [Fact]
    public void BlocksInUseSurviveATrimAndComeBackAfterIt()
    {
        using var pool = new TrimmableBlockPool();
        var inUse = pool.Rent();
        pool.Rent().Dispose();
        Assert.Equal(1, pool.Trim());
        inUse.Memory.Span.Fill(7);
        inUse.Dispose();
        Assert.Equal(1, pool.Cached);
    }

    [Fact]
    public void ThePoolIsBusyWhileSocketsRentManyBlocksBetweenTwoLooks()
    {
        using var pool = new TrimmableBlockPool();
        Assert.False(pool.Busy);
        for (var i = 0; i < TrimmableBlockPool.BusyRents; i++) pool.Rent().Dispose();
        Assert.True(pool.Busy);
        Assert.False(pool.Busy); // each look starts a new count
        for (var i = 0; i < TrimmableBlockPool.BusyRents - 1; i++) pool.Rent().Dispose();
        Assert.False(pool.Busy);
    }
}
