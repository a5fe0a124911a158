using System.Buffers;
using System.Threading.Channels;

namespace ChatApp.Connections;

/// <summary>
/// A connection's bounded outbound queue and its one writer. The room only <see cref="TrySend"/>s; the
/// send loop drains whatever has queued into one write. A client that lets the queue fill up is too
/// slow: it is cut off (it can come back with <c>since</c>), never waited for.
/// </summary>
public sealed class FrameOutbox(Stream transport, int capacity, Action onOverflow)
{
    // Enough for a hundred typical events in one write; small enough that the shared pool keeps up when thousands of connections write at once.
    private const int BatchBytes = 16 * 1024;
    private const int FileChunkBytes = 64 * 1024;

    private readonly Channel<OutboundFrame> _queue = Channel.CreateBounded<OutboundFrame>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private int _overflowed;

    public bool TrySend(OutboundFrame frame)
    {
        if (_queue.Writer.TryWrite(frame)) return true;
        if (!_queue.Reader.Completion.IsCompleted && Interlocked.Exchange(ref _overflowed, 1) == 0) onOverflow();
        return false;
    }

    /// <summary>No more frames: the send loop writes what is queued and ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// The send loop; it ends when the outbox is completed or the connection fails. No cancellation token
    /// on purpose: with one, every wait and write would allocate and register (a connection wakes
    /// thousands of times a second under load), and an aborted connection's writes return at once anyway.
    /// </summary>
    public async Task RunAsync()
    {
        var cancellationToken = CancellationToken.None;
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                // The usual case when not under load: one frame, written as it is, with no copy and no buffer.
                if (reader.TryPeek(out var only) && only.FilePath is null && reader.Count == 1 && reader.TryRead(out only))
                {
                    await transport.WriteAsync(only.Bytes, cancellationToken);
                    continue;
                }
                // Several queued: as many as fit go out in one write. Idle connections hold no buffer.
                var batch = ArrayPool<byte>.Shared.Rent(BatchBytes);
                try
                {
                    var used = 0;
                    while (reader.TryRead(out var frame))
                    {
                        if (frame.FilePath is not null)
                        {
                            await FlushAsync(batch, used, cancellationToken);
                            used = 0;
                            await SendFileAsync(frame, cancellationToken);
                            continue;
                        }
                        var bytes = frame.Bytes!;
                        if (used + bytes.Length > batch.Length)
                        {
                            await FlushAsync(batch, used, cancellationToken);
                            used = 0;
                            if (bytes.Length > batch.Length)
                            {
                                await transport.WriteAsync(bytes, cancellationToken);
                                continue;
                            }
                        }
                        bytes.CopyTo(batch.AsSpan(used));
                        used += bytes.Length;
                    }
                    await FlushAsync(batch, used, cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is gone; the receive side notices and leaves the room.
        }
        finally
        {
            _queue.Writer.TryComplete();
        }
    }

    private ValueTask FlushAsync(byte[] batch, int used, CancellationToken ct) =>
        used == 0 ? ValueTask.CompletedTask : transport.WriteAsync(batch.AsMemory(0, used), ct);

    private async Task SendFileAsync(OutboundFrame frame, CancellationToken ct)
    {
        await transport.WriteAsync(WebSocketFrames.BinaryHeader(frame.FileLength), ct);
        await using var file = new FileStream(frame.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileChunkBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var chunk = ArrayPool<byte>.Shared.Rent(FileChunkBytes);
        try
        {
            var left = frame.FileLength;
            while (left > 0)
            {
                var read = await file.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), ct);
                if (read == 0) throw new IOException("The stored file is shorter than its recorded size.");
                await transport.WriteAsync(chunk.AsMemory(0, read), ct);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
