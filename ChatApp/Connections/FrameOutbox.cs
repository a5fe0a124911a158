using System.Buffers;

namespace ChatApp.Connections;

/// <summary>
/// A connection's bounded outbound queue and its one writer. The room only <see cref="TrySend"/>s; the
/// send loop drains whatever has queued into one write. A client that lets the queue fill up (in frames or
/// in bytes), or leaves one write unfinished for <c>sendTimeout</c> (the kernel's send queue is full), is too
/// slow: it is cut off (it can come back with <c>since</c>), never waited for.
/// </summary>
public sealed class FrameOutbox(Stream transport, int capacity, long maxBytes, TimeSpan sendTimeout, TimeProvider clock, Action onOverflow)
{
    public FrameOutbox(Stream transport, int capacity, Action onOverflow)
        : this(transport, capacity, 0, Timeout.InfiniteTimeSpan, TimeProvider.System, onOverflow) { }

    // Enough for a hundred typical events in one write; small enough that the shared pool keeps up when thousands of connections write at once.
    private const int BatchBytes = 16 * 1024;
    private const int FileChunkBytes = 64 * 1024;
    // Below this backlog a write is not checked for hanging (a healthy connection under load queues less).
    private const int HungWriteCheckBytes = 64 * 1024;

    private readonly FrameQueue _queue = new(capacity);
    private int _overflowed;
    private volatile bool _completed;
    private long _queuedBytes;
    /// <summary>Timestamp of the start of the write in progress; 0 when none is.</summary>
    private long _writeStarted;

    /// <summary>Bytes queued and not yet handed to the transport.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    public bool TrySend(OutboundFrame frame)
    {
        // A closing connection drops what comes late; that is no sign of a slow client.
        if (_completed || _overflowed != 0) return false;
        var length = frame.Bytes?.Length ?? 0;
        if (TooSlow(length) || !_queue.TryWrite(frame))
        {
            if (length > 0) Interlocked.Add(ref _queuedBytes, -length);
            if (!_completed && Interlocked.Exchange(ref _overflowed, 1) == 0) onOverflow();
            return false;
        }
        return true;
    }

    /// <summary>Counts the frame's bytes in; true when they would pass the byte limit or the write in progress has hung too long.</summary>
    private bool TooSlow(int length)
    {
        var queued = Interlocked.Add(ref _queuedBytes, length);
        if (queued > maxBytes && maxBytes > 0) return true;
        // A hung write leaves frames piling up behind it: the clock is read only once a backlog has built up, not for every frame.
        if (queued < HungWriteCheckBytes || sendTimeout == Timeout.InfiniteTimeSpan) return false;
        var started = Volatile.Read(ref _writeStarted);
        return started != 0 && clock.GetElapsedTime(started) > sendTimeout;
    }

    /// <summary>No more frames: the send loop writes what is queued and ends.</summary>
    public void Complete()
    {
        _completed = true;
        _queue.Complete();
    }

    /// <summary>
    /// The send loop; it ends when the outbox is completed or the connection fails. No cancellation token
    /// on purpose: with one, every wait and write would allocate and register (a connection wakes
    /// thousands of times a second under load), and an aborted connection's writes return at once anyway.
    /// </summary>
    public async Task RunAsync()
    {
        var cancellationToken = CancellationToken.None;
        var reader = _queue;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                // Woken for a single frame: step behind the work already queued (the rest of the fan-out, the room's
                // next commands) so the frames it adds meanwhile go out in this write, not in one write each. When
                // frames have piled up already (at peak load) they go out at once: a yield would only cost a hop.
                if (reader.Count == 1) await Task.Yield();
                // The usual case when not under load: one frame, written as it is, with no copy and no buffer.
                if (reader.TryPeek(out var only) && only.FilePath is null && reader.Count == 1 && reader.TryRead(out only))
                {
                    await StartWrite(only.Bytes, cancellationToken);
                    WriteDone(only.Bytes!.Length);
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
                            if (used > 0) { await StartWrite(batch.AsMemory(0, used), cancellationToken); WriteDone(used); }
                            used = 0;
                            await SendFileAsync(frame, cancellationToken);
                            continue;
                        }
                        var bytes = frame.Bytes!;
                        if (used + bytes.Length > batch.Length)
                        {
                            if (used > 0) { await StartWrite(batch.AsMemory(0, used), cancellationToken); WriteDone(used); }
                            used = 0;
                            if (bytes.Length > batch.Length)
                            {
                                await StartWrite(bytes, cancellationToken);
                                WriteDone(bytes.Length);
                                continue;
                            }
                        }
                        bytes.CopyTo(batch.AsSpan(used));
                        used += bytes.Length;
                    }
                    if (used > 0) { await StartWrite(batch.AsMemory(0, used), cancellationToken); WriteDone(used); }
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
            _queue.Complete();
        }
    }

    /// <summary>Starts one write, timed so that a hung one is noticed by <see cref="TrySend"/>; not async, so it costs no state machine.</summary>
    private ValueTask StartWrite(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        Volatile.Write(ref _writeStarted, clock.GetTimestamp());
        return transport.WriteAsync(bytes, ct);
    }

    /// <summary>The write finished: its bytes leave the queued count.</summary>
    private void WriteDone(int queuedBytes)
    {
        Volatile.Write(ref _writeStarted, 0);
        if (queuedBytes != 0) Interlocked.Add(ref _queuedBytes, -queuedBytes);
    }

    private async Task SendFileAsync(OutboundFrame frame, CancellationToken ct)
    {
        await StartWrite(WebSocketFrames.BinaryHeader(frame.FileLength), ct);
        WriteDone(0);
        await using var file = new FileStream(frame.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileChunkBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var chunk = ArrayPool<byte>.Shared.Rent(FileChunkBytes);
        try
        {
            var left = frame.FileLength;
            while (left > 0)
            {
                var read = await file.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), ct);
                if (read == 0) throw new IOException("The stored file is shorter than its recorded size.");
                await StartWrite(chunk.AsMemory(0, read), ct);
                WriteDone(0);
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
