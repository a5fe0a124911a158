using System.Threading.Tasks.Sources;
using ChatApp.Diagnostics;

namespace ChatApp.Connections;

/// <summary>
/// A connection's queue of outbound frames: many writers, one reader, bounded in frames (a run of frames queued as one
/// item counts as its frames). It holds memory only for
/// what is queued now: frames sit in small segments taken from a shared pool and given back as soon as they are
/// read, so a connection that was thousands of frames behind once (a reconnect storm, a load peak) keeps nothing of
/// it afterwards, and an idle connection holds no array at all. (A bounded channel keeps its largest backlog's
/// array for the connection's lifetime.) Continuations run asynchronously: a writer — the room's loop — never runs
/// the reader's send.
/// </summary>
public sealed class FrameQueue(int capacity) : IValueTaskSource<bool>
{
    private readonly Lock _gate = new();
    private Segment? _head, _tail;   // null when empty
    private int _headIndex, _tailIndex;
    private int _count;   // items
    private int _frames;  // frames in them: what the capacity bounds
    private bool _completed;
    private bool _waiting;
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };

    /// <summary>Items queued (a run of frames is one).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Frames queued, a run's counted one by one.</summary>
    public int Frames => Volatile.Read(ref _frames);

    /// <summary>Segments this queue holds now (none when empty).</summary>
    internal int SegmentsHeld
    {
        get
        {
            lock (_gate)
            {
                var held = 0;
                for (var s = _head; s is not null; s = s.Next) held++;
                return held;
            }
        }
    }

    /// <summary>False when the queue is full (its frames would pass the capacity) or completed; the frame is not queued.</summary>
    public bool TryWrite(OutboundFrame frame)
    {
        bool wake;
        var frames = frame.Frames;
        lock (_gate)
        {
            if (_completed || _frames + frames > capacity) return false;
            if (_tail is null) { _head = _tail = SegmentPool.Rent(); _headIndex = _tailIndex = 0; }
            else if (_tailIndex == Segment.Length) { var next = SegmentPool.Rent(); _tail.Next = next; _tail = next; _tailIndex = 0; }
            _tail.Frames[_tailIndex++] = frame;
            _count++;
            _frames += frames;
            wake = _waiting;
            _waiting = false;
        }
        if (wake) _signal.SetResult(true);
        return true;
    }

    public bool TryPeek(out OutboundFrame frame)
    {
        lock (_gate)
        {
            if (_count == 0) { frame = default; return false; }
            frame = _head!.Frames[_headIndex];
            return true;
        }
    }

    public bool TryRead(out OutboundFrame frame)
    {
        Segment? done = null;
        lock (_gate)
        {
            if (_count == 0) { frame = default; return false; }
            var head = _head!;
            frame = head.Frames[_headIndex];
            head.Frames[_headIndex++] = default;
            _count--;
            _frames -= frame.Frames;
            if (_count == 0) { done = head; _head = _tail = null; }
            else if (_headIndex == Segment.Length) { done = head; _head = head.Next; _headIndex = 0; }
        }
        if (done is not null) SegmentPool.Return(done);
        return true;
    }

    /// <summary>True once a frame is there to read; false when the queue is completed and empty. One reader only.</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_gate)
        {
            if (_count > 0) return new ValueTask<bool>(true);
            if (_completed) return new ValueTask<bool>(false);
            _signal.Reset();
            _waiting = true;
            return new ValueTask<bool>(this, _signal.Version);
        }
    }

    /// <summary>No more frames are taken; the reader still reads what is queued.</summary>
    public void Complete()
    {
        bool wake;
        lock (_gate)
        {
            if (_completed) return;
            _completed = true;
            wake = _waiting;
            _waiting = false;
        }
        if (wake) _signal.SetResult(false);
    }

    /// <summary>
    /// Completes the queue and drops what is still queued, giving its segments back to the shared pool: a connection
    /// that ended with a backlog (cut off, or gone) would otherwise leave them counted as in use for good, and the
    /// server would look busy to <see cref="ITrimmable.Busy"/> from then on.
    /// </summary>
    public void Discard()
    {
        Complete();
        Segment? segment;
        lock (_gate)
        {
            segment = _head;
            _head = _tail = null;
            _headIndex = _tailIndex = 0;
            _count = _frames = 0;
        }
        while (segment is not null)
        {
            var next = segment.Next;
            Array.Clear(segment.Frames);
            SegmentPool.Return(segment);
            segment = next;
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);
    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);
    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);

    internal sealed class Segment
    {
        public const int Length = 32;
        public readonly OutboundFrame[] Frames = new OutboundFrame[Length];
        public Segment? Next;
    }

    /// <summary>
    /// Segments shared by every connection's queue, up to <see cref="MaxCached"/> kept for reuse (about 5 MiB, a backlog of half a million frames);
    /// the rest go to the collector. Emptied when the server goes quiet (<see cref="ITrimmable"/>).
    /// </summary>
    internal sealed class SegmentCache : ITrimmable
    {
        public const int MaxCached = 16384;
        /// <summary>More segments than this in use (queues with frames waiting) means connections are still sending a backlog.</summary>
        public const int BusyInUse = 64;
        private readonly FreeList<Segment> _free = new(MaxCached);
        private int _inUse;

        public int Cached => _free.Count;
        public int InUse => Volatile.Read(ref _inUse);
        public bool Busy => InUse > BusyInUse;

        public Segment Rent()
        {
            Interlocked.Increment(ref _inUse);
            return _free.TryTake(out var segment) ? segment : new Segment();
        }

        public void Return(Segment segment)
        {
            Interlocked.Decrement(ref _inUse);
            segment.Next = null;
            _free.Add(segment);
        }

        public int Trim() => _free.Clear();
    }

    internal static readonly SegmentCache SegmentPool = new();
}
