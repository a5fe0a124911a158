using System.Threading.Channels;

namespace ChatApp.Chat;

/// <summary>
/// Reads the targets of edits and deletions older than the room's memory, off the room's loop: the loop hands over the
/// change, this reads its target's row and queues the change for the loop again with what it read (<see cref="TargetRead"/>).
/// One read at a time, in the order asked, so two changes of one user reach the loop in the order they were sent.
/// </summary>
internal sealed class TargetReader(RoomHistory history, ChannelWriter<RoomCommand> room, ILogger log)
{
    private readonly Channel<RoomCommand.Post> _queue = Channel.CreateUnbounded<RoomCommand.Post>(new() { SingleReader = true });

    /// <summary>Called on the loop: never waits (the queue is unbounded, and as rare as edits of old messages).</summary>
    public void Read(RoomCommand.Post change) => _queue.Writer.TryWrite(change);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        // The channel resumes this reader on the thread pool, never on the writer's (the loop's) thread: SQLite's
        // "async" reads complete synchronously, so where this runs is where the disk is waited on.
        await Task.Yield();
        try
        {
            await foreach (var change in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                var id = change.Draft.Target!.Value;
                TargetRead read;
                try { read = new TargetRead(id, await history.ReadTargetAsync(id, stoppingToken)); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Reading event {Id}, the target of an edit or deletion, failed", id);
                    read = new TargetRead(id, null, Failed: true);
                }
                await room.WriteAsync(change with { OnDisk = read }, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (ChannelClosedException) { }
    }
}
