using System.Threading.RateLimiting;

namespace ChatApp.Accounts;

/// <summary>
/// A fixed window of <paramref name="permits"/> per key as the framework's rate limiter, so its middleware can ask;
/// the counting is the <see cref="IWindowCounter"/>'s (this process's, or Redis's shared by every node).
/// The key <see cref="Unlimited"/> is never limited. Counting is asynchronous (a round trip with Redis), so the
/// synchronous attempt grants only <see cref="Unlimited"/> and otherwise answers "ask asynchronously" without
/// counting; the middleware then acquires asynchronously (it always does after a failed attempt), which counts once.
/// </summary>
internal sealed class WindowRateLimiter(IWindowCounter counter, string prefix, int permits, TimeSpan window) : PartitionedRateLimiter<string>
{
    public const string Unlimited = "";

    public override RateLimiterStatistics? GetStatistics(string resource) => null;

    protected override RateLimitLease AttemptAcquireCore(string resource, int permitCount) =>
        resource == Unlimited || permitCount == 0 ? Lease.Granted : Lease.AskAsynchronously;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(string resource, int permitCount, CancellationToken cancellationToken)
    {
        if (resource == Unlimited || permitCount == 0) return Lease.Granted;
        var count = await counter.HitAsync(prefix + resource, window, cancellationToken);
        return count.Hits <= permits ? Lease.Granted : new Lease(false, count.Remaining);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        /// <summary>Not counted: the answer needs the counter, which only <see cref="AcquireAsyncCore"/> asks.</summary>
        public static readonly Lease AskAsynchronously = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
