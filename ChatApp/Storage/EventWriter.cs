using System.Diagnostics;
using System.Threading.Channels;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// Stores events off the room's loop: the room only enqueues, and this writer saves whatever has
/// queued up in one transaction, so a burst of messages costs one commit, not one per message.
/// </summary>
public sealed class EventWriter(IDbContextFactory<ChatDbContext> contexts, ChatMetrics metrics, ILogger<EventWriter> log) : BackgroundService
{
    private const int MaxBatchEvents = 2000;
    private readonly Channel<ChatEvent> _queue = Channel.CreateUnbounded<ChatEvent>(new() { SingleReader = true });
    public void Enqueue(ChatEvent e)
    {
        if (_queue.Writer.TryWrite(e)) metrics.WriterQueued(1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ChatEvent>(MaxBatchEvents);
        // Runs until the queue is completed on shutdown, so nothing queued is lost.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatchEvents && _queue.Reader.TryRead(out var e)) batch.Add(e);
            var started = Stopwatch.GetTimestamp();
            await SaveAsync(batch);
            metrics.WriterCommitted(batch.Count, Stopwatch.GetElapsedTime(started));
            batch.Clear();
        }
    }

    private async Task SaveAsync(List<ChatEvent> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.Events.AddRange(batch);
                await db.SaveChangesAsync();
                return;
            }
            catch (Exception ex) when (attempt < 5)
            {
                log.LogWarning(ex, "Storing {Count} events failed (attempt {Attempt}); retrying", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is not null) await ExecuteTask.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
    }
}
