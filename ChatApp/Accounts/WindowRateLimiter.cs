using System.Threading.RateLimiting;

namespace ChatApp.Accounts;

/// <summary>
/// A fixed window of <paramref name="permits"/> per key as the framework's rate limiter, so its middleware can ask;
/// the counting is the <see cref="IWindowCounter"/>'s (this process's, or Redis's shared by every node).
/// The key <see cref="Unlimited"/> is never limited. A refused request may be counted twice (the middleware
/// attempts, then waits with no queue); it is over the limit either way, and the window's end does not move.
/// </summary>
internal sealed class WindowRateLimiter(IWindowCounter counter, string prefix, int permits, TimeSpan window) : PartitionedRateLimiter<string>
{
    public const string Unlimited = "";

    public override RateLimiterStatistics? GetStatistics(string resource) => null;

    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount)
    {
        if (resource == Unlimited || permitCount == 0) return Lease.Granted;
        var count = counter.Hit(prefix + resource, window);
        return count.Hits <= permits ? Lease.Granted : new Lease(false, count.Remaining);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken) =>
        new(AttemptAcquireCore(resource, permitCount));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
