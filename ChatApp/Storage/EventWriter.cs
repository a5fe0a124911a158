using System.Diagnostics;
using System.Threading.Channels;
using ChatApp.Chat;
using Microsoft.Data.Sqlite;
using ChatApp.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Storage;

/// <summary>
/// Stores events off the room's loop: the room only enqueues, and this writer saves whatever has
/// queued up in one transaction, so a burst of messages costs one commit, not one per message. Only
/// after the commit (or its final failure) does it hand the batch back to the room (<see cref="BatchDone"/>),
/// which then delivers it: nothing is sent that a killed process could lose. Stopping stores everything queued first.
/// </summary>
public sealed class EventWriter(IDbContextFactory<ChatDbContext> contexts, IOptions<ChatOptions> options, ChatMetrics metrics, ILogger<EventWriter> log) : IHostedService
{
    // A backlog is stored 8,000 at a time: a commit has costs of its own (the search index's new segment, each sender's
    // count, the pages it wrote), shared by fewer events in smaller batches. A quiet room's batches stay small.
    private const int MaxBatchEvents = 8000;
    private readonly Channel<ChatEvent> _queue = Channel.CreateUnbounded<ChatEvent>(new() { SingleReader = true });
    private readonly StorageOptions _storage = options.Value.Storage;
    // A PRAGMA takes no parameters; its value is a number from the settings.
    private readonly string _busyTimeoutPragma = $"PRAGMA busy_timeout={options.Value.Storage.BusyTimeoutMilliseconds};";
    private readonly SenderIds _senders = new();
    private readonly Lock _loopLock = new();
    private Task? _loop;
    private volatile bool _failing;

    // The writer's own context, its connection kept open and its insert prepared between batches: opening a pooled
    // connection (EF registers its SQLite functions on every open), setting its busy timeout and preparing the insert
    // were half the writer's CPU at 200 messages/s, whose batches hold one or two events. Dropped after any failure.
    private ChatDbContext? _db;
    private EventInsert? _insert;

    /// <summary>Called with each batch once it is committed (<c>stored</c> true) or given up on (false); set once by the room.</summary>
    public Func<List<ChatEvent>, bool, ValueTask>? BatchDone { get; set; }

    /// <summary>True while the last batch could not be stored (disk full, database locked or unwritable).</summary>
    public bool IsFailing => _failing;

    public void Enqueue(ChatEvent e)
    {
        if (_queue.Writer.TryWrite(e)) metrics.WriterQueued(1);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_storage.DiscardEvents)
            log.LogWarning("Chat:Storage:DiscardEvents is set: events are delivered but not stored, and a restart loses them (for benchmarks only)");
        // Not a BackgroundService: a stop that came before its loop first ran (on the thread pool) cancelled the loop, queue and all.
        Loop();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await Loop().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    /// <summary>The one loop, started by the first of start and stop (a stop without a start still stores the queue).</summary>
    private Task Loop()
    {
        lock (_loopLock) return _loop ??= Task.Run(WriteAllAsync, CancellationToken.None);
    }

    private async Task WriteAllAsync()
    {
        try { await WriteQueuedAsync(); }
        finally { await CloseAsync(); }
    }

    private async Task WriteQueuedAsync()
    {
        // Runs until the queue is completed on shutdown, so nothing queued is lost.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            // A new list per batch: the room keeps reading it after this loop has moved on.
            var batch = new List<ChatEvent>(64);
            while (batch.Count < MaxBatchEvents && _queue.Reader.TryRead(out var e)) batch.Add(e);
            var started = Stopwatch.GetTimestamp();
            var stored = await SaveAsync(batch);
            metrics.WriterDone(batch.Count, stored, Stopwatch.GetElapsedTime(started));
            _failing = !stored;
            if (BatchDone is { } done)
            {
                try { await done(batch, stored); }
                catch (Exception ex) { log.LogError(ex, "Handing {Count} stored events back to the room failed", batch.Count); }
            }
        }
    }

    /// <summary>One transaction for the batch, retried a few times; false when it never committed.</summary>
    private async Task<bool> SaveAsync(List<ChatEvent> batch)
    {
        if (_storage.DiscardEvents) return true;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (db, insert) = await OpenAsync();
                // The batch and the rows its edits and deletions change commit together; beginning waits no longer than a command.
                await using var transaction = await db.Database.BeginTransactionAsync();
                _senders.Resolve(db, batch);
                foreach (var e in batch) insert.Insert(StoredEvent.Of(e, _senders.IdOf(e.From)));
                SearchFeed.Add(db, batch);
                // The profile's counts commit with the messages they count.
                PublicMessageCounts.Add(db, batch);
                // Who is online commits with the joins and parts that say so.
                OnlineUsers.Apply(db, batch);
                // An edit or deletion changes its target's row in the same commit, so disk always holds current state.
                foreach (var e in batch)
                    if (e.IsChange) await EventChanges.ApplyAsync(db, e);
                await transaction.CommitAsync();
                _senders.Committed();
                return true;
            }
            catch (Exception ex) when (attempt < _storage.Attempts)
            {
                log.LogWarning(ex, "Storing {Count} events failed (attempt {Attempt}); retrying", batch.Count, attempt);
                await CloseAsync();
                await Task.Delay(TimeSpan.FromMilliseconds(_storage.RetryDelayMilliseconds * attempt));
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Storing {Count} events failed {Attempts} times; they are refused as storage_unavailable", batch.Count, attempt);
                await CloseAsync();
                return false;
            }
        }
    }

    /// <summary>The writer's context with its connection open and its insert prepared; a new one after a failure.</summary>
    private async Task<(ChatDbContext Db, EventInsert Insert)> OpenAsync()
    {
        if (_db is not null && _insert is not null) return (_db, _insert);
        var db = await contexts.CreateDbContextAsync();
        try
        {
            // Microsoft.Data.Sqlite also retries a busy lock until the command timeout: both bound one attempt.
            var timeoutSeconds = Math.Max(1, (_storage.BusyTimeoutMilliseconds + 999) / 1000);
            db.Database.SetCommandTimeout(timeoutSeconds);
            await db.Database.OpenConnectionAsync();
            // How long a commit may wait for another writer's lock, per attempt (the default pragma is longer).
            await db.Database.ExecuteSqlRawAsync(_busyTimeoutPragma);
            ((SqliteConnection)db.Database.GetDbConnection()).DefaultTimeout = timeoutSeconds;
            (_db, _insert) = (db, new EventInsert(db));
            return (_db, _insert);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private async Task CloseAsync()
    {
        _insert?.Dispose();
        _insert = null;
        if (_db is { } db) await db.DisposeAsync();
        _db = null;
    }
}
