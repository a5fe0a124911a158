namespace ChatApp.Diagnostics;

/// <summary>
/// When to give memory back after a burst. The garbage collector runs only when the program allocates, so after a
/// reconnect storm or a busy spell an idle server keeps its heap at the burst's size for as long as it stays idle.
/// This watches how much was allocated per check: once a burst (at least <see cref="BurstBytes"/> since the last
/// trim) is followed by one quiet check (at most <see cref="QuietBytes"/>), it is time to compact and return memory.
/// </summary>
public sealed class MemoryTrimPolicy(long burstBytes, long quietBytes)
{
    private long? _lastAllocated;
    private long _sinceTrim;

    public long BurstBytes { get; } = burstBytes;
    public long QuietBytes { get; } = quietBytes;

    /// <summary>Takes the process's allocation total at one check; true when a trim is due now.</summary>
    public bool ShouldTrim(long allocatedTotal, bool busy = false)
    {
        // The first check counts from the process's start: start-up is a burst of its own.
        var delta = Math.Max(0, allocatedTotal - (_lastAllocated ?? 0));
        _lastAllocated = allocatedTotal;
        _sinceTrim += delta;
        if (busy || _sinceTrim < BurstBytes || delta > QuietBytes) return false;
        _sinceTrim = 0;
        return true;
    }
}

/// <summary>
/// Checks <see cref="MemoryTrimPolicy"/> every <c>Chat:Memory:CheckSeconds</c> and, when due, runs one full,
/// compacting, aggressive collection: the heap shrinks to what is live and the rest goes back to the system.
/// It costs one pause of a few tens of milliseconds, and only when the server has just gone quiet.
/// </summary>
public sealed class MemoryTrimmer(MemoryTrimPolicy policy, IEnumerable<ITrimmable> caches, TimeProvider clock, ChatMetrics metrics, ILogger<MemoryTrimmer> log,
    Microsoft.Extensions.Options.IOptions<Chat.ChatOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.Memory.CheckSeconds);
        if (every <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(every, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var busy = false;
                foreach (var cache in caches) busy |= cache.Busy; // every cache looks once per check
                if (policy.ShouldTrim(GC.GetTotalAllocatedBytes(), busy)) Trim();
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Trim()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var dropped = caches.Sum(cache => cache.Trim());
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        metrics.MemoryTrimmed(Math.Max(0, before - after));
        log.LogInformation("Quiet after a burst: {Dropped} cached buffers dropped, the heap's committed memory went from {Before:N0} to {After:N0} bytes",
            dropped, before, after);
    }
}

/// <summary>A cache that keeps memory for reuse and can let it go when the server goes quiet.</summary>
public interface ITrimmable
{
    /// <summary>Drops what is cached but unused; returns how many items went.</summary>
    int Trim();

    /// <summary>
    /// True while this cache's items are being used hard (connections still sending a backlog, sockets still
    /// reading and writing): a server that allocates little can still be busy, and emptying the cache then would
    /// only make it allocate again. Read once per check.
    /// </summary>
    bool Busy => false;
}
