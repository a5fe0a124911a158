using System.Buffers;
using System.IO.Pipelines;

namespace ChatApp.Connections;

/// <summary>
/// A connection's bounded outbound queue and its one writer. The room only <see cref="TrySend"/>s; the
/// send loop drains whatever has queued into one write. A client that lets the queue fill up (in frames or
/// in bytes), or leaves one write unfinished for <c>sendTimeout</c> (the kernel's send queue is full), is too
/// slow: it is cut off (it can come back with <c>since</c>), never waited for.
/// </summary>
public sealed class FrameOutbox(PipeWriter output, int capacity, long maxBytes, TimeSpan sendTimeout, TimeProvider clock, Action onOverflow)
{
    public FrameOutbox(PipeWriter output, int capacity, Action onOverflow)
        : this(output, capacity, 0, Timeout.InfiniteTimeSpan, TimeProvider.System, onOverflow) { }

    // Enough for a hundred typical events in one flush; small enough that one connection's burst does not sit whole in the pipe.
    private const int BatchBytes = 16 * 1024;
    private const int FileChunkBytes = 64 * 1024;
    // Below this backlog a write is not checked for hanging (a healthy connection under load queues less).
    private const int HungWriteCheckBytes = 64 * 1024;
    // Past that backlog, one frame in this many looks at the clock.
    private const int HungWriteCheckFrames = 32;

    private readonly FrameQueue _queue = new(capacity);
    private int _overflowed;
    private volatile bool _completed;
    private long _queuedBytes;
    /// <summary>Timestamp of the start of the write in progress; 0 when none is.</summary>
    private long _writeStarted;
    private int _framesSinceClockRead;

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
        // A hung write leaves frames piling up behind it: the clock is read only once a backlog has built up, and then
        // for one frame in HungWriteCheckFrames (a storm puts every connection past the mark; reading the clock for
        // each of its frames took a tenth of the server's CPU).
        if (queued < HungWriteCheckBytes || sendTimeout == Timeout.InfiniteTimeSpan) return false;
        if (++_framesSinceClockRead < HungWriteCheckFrames) return false; // racy on purpose: a missed count only delays a look
        _framesSinceClockRead = 0;
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
    /// The send loop; it ends when the outbox is completed or the connection fails. Frames are copied straight
    /// into the connection's output pipe and flushed about every <see cref="BatchBytes"/>: under load one flush
    /// carries many frames, and no buffer of ours is held while the socket is busy. No cancellation token
    /// on purpose: with one, every wait and flush would allocate and register (a connection wakes
    /// thousands of times a second under load), and an aborted connection's flushes return at once anyway.
    /// </summary>
    public async Task RunAsync()
    {
        var reader = _queue;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                // Woken for a single frame: step behind the work already queued (the rest of the fan-out, the room's
                // next commands) so the frames it adds meanwhile go out in this flush, not in one flush each. When
                // frames have piled up already (at peak load) they go out at once: a yield would only cost a hop.
                if (reader.Count == 1) await Task.Yield();
                while (true)
                {
                    var copied = CopyQueued(out var file);
                    if (copied > 0 && Gone(await StartFlush(), copied)) return;
                    if (file.FilePath is not null)
                    {
                        if (!await SendFileAsync(file)) return;
                    }
                    else if (copied == 0) break; // the queue is empty
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer is gone; the receive side notices and leaves the room.
        }
        finally
        {
            _queue.Discard(); // what a gone connection never sent
        }
    }

    /// <summary>
    /// Copies queued frames into the pipe until <see cref="BatchBytes"/> are copied, a file comes up (returned in
    /// <paramref name="file"/>, not copied) or the queue is empty; returns the bytes copied. Small frames are packed
    /// into the pipe's current block and committed together: each commit takes the pipe's lock, which the socket's
    /// sender takes too.
    /// </summary>
    private int CopyQueued(out OutboundFrame file)
    {
        file = default;
        var copied = 0;
        var block = Span<byte>.Empty;
        var used = 0;
        while (copied + used < BatchBytes && _queue.TryRead(out var frame))
        {
            if (frame.FilePath is not null) { file = frame; break; }
            var bytes = frame.Bytes!;
            if (bytes.Length > block.Length - used)
            {
                if (used > 0) { output.Advance(used); copied += used; used = 0; }
                block = output.GetSpan();
                if (bytes.Length > block.Length)
                {
                    output.Write(bytes); // bigger than a block: spread over several
                    copied += bytes.Length;
                    block = Span<byte>.Empty;
                    continue;
                }
            }
            bytes.CopyTo(block[used..]);
            used += bytes.Length;
        }
        if (used > 0) { output.Advance(used); copied += used; }
        return copied;
    }

    /// <summary>Sends what was copied into the pipe, timed so that a hung flush is noticed by <see cref="TrySend"/>; not async, so it costs no state machine.</summary>
    private ValueTask<FlushResult> StartFlush()
    {
        Volatile.Write(ref _writeStarted, clock.GetTimestamp());
        return output.FlushAsync();
    }

    /// <summary>The flush finished: its bytes leave the queued count. True when the connection is gone.</summary>
    private bool Gone(FlushResult result, int queuedBytes)
    {
        Volatile.Write(ref _writeStarted, 0);
        if (queuedBytes != 0) Interlocked.Add(ref _queuedBytes, -queuedBytes);
        return result.IsCompleted || result.IsCanceled;
    }

    /// <summary>A stored file as one binary frame, read from disk straight into the pipe, flushed every <see cref="FileChunkBytes"/>.</summary>
    private async Task<bool> SendFileAsync(OutboundFrame frame)
    {
        output.Write(WebSocketFrames.BinaryHeader(frame.FileLength));
        await using var file = new FileStream(frame.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileChunkBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var left = frame.FileLength;
        var pending = 0;
        while (left > 0)
        {
            var memory = output.GetMemory();
            var read = await file.ReadAsync(memory[..(int)Math.Min(memory.Length, left)]);
            if (read == 0) throw new IOException("The stored file is shorter than its recorded size.");
            output.Advance(read);
            left -= read;
            pending += read;
            if (pending >= FileChunkBytes)
            {
                if (Gone(await StartFlush(), 0)) return false;
                pending = 0;
            }
        }
        return !Gone(await StartFlush(), 0);
    }
}
