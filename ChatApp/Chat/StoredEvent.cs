using System.Runtime.CompilerServices;

namespace ChatApp.Chat;

/// <summary>
/// A stored event as the room fans it out and the recent archive keeps it: the domain event, and beside it every
/// transport's wire frames of it, each built once (by its first recipient) and shared by all the others. Created
/// once per stored event; an edit or deletion puts a new one in the archive, so no frame outlives the state it shows.
/// </summary>
public sealed class StoredEvent(ChatEvent e)
{
    private byte[]? _live, _liveBinary, _replay, _stompLive, _stompReplay;
    private KeyedFrames _keyed;

    public ChatEvent Event { get; } = e;

    public long Id => Event.Id;

    /// <summary>
    /// The event framed as <paramref name="kind"/>, built with <paramref name="build"/> the first time it is asked for.
    /// Frames are built on the room's loop; a rare build off it (a STOMP duplicate's echo) at worst builds the same bytes twice.
    /// </summary>
    // Inlined with the constant kind of each call site, the switch folds away: a delivery reads one field, as before.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte[] Frame(EventFrame kind, Func<ChatEvent, byte[]> build)
    {
        ref var frame = ref Slot(kind);
        return frame ??= build(Event);
    }

    /// <summary>
    /// The event framed for recipients whose frames differ only by <paramref name="key"/> (a STOMP subscription's header), built
    /// with <paramref name="build"/> by the first of them and kept for the next with an equal key (<see cref="KeyedFrames"/>).
    /// On the room's loop, like <see cref="Frame(EventFrame, Func{ChatEvent, byte[]})"/>.
    /// </summary>
    public byte[] Frame(byte[] key, Func<StoredEvent, byte[], byte[]> build) => _keyed.Find(key) ?? _keyed.Keep(key, build(this, key));

    /// <summary>
    /// Lets the live frames go once the event's fan-out is long over (<see cref="RecentArchive"/>): the archive keeps
    /// the event for replay, not a wire copy of it per transport. Called on the room's loop; a later need builds them again.
    /// </summary>
    public void ForgetLiveFrames()
    {
        _live = _liveBinary = _stompLive = null;
        _keyed.Clear();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref byte[]? Slot(EventFrame kind)
    {
        switch (kind)
        {
            case EventFrame.Live: return ref _live;
            case EventFrame.LiveBinary: return ref _liveBinary;
            case EventFrame.Replay: return ref _replay;
            case EventFrame.StompLive: return ref _stompLive;
            case EventFrame.StompReplay: return ref _stompReplay;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}

/// <summary>The wire frames a <see cref="StoredEvent"/> keeps, one per transport and kind of delivery.</summary>
public enum EventFrame
{
    /// <summary><c>/ws</c>: the event as a WebSocket text frame.</summary>
    Live,

    /// <summary><c>/ws</c>: a file event with <c>binary:true</c>, for every connection but the uploading one.</summary>
    LiveBinary,

    /// <summary><c>/ws</c>: the event with <c>replay:true</c>.</summary>
    Replay,

    /// <summary>STOMP: a MESSAGE's part after its subscription header (destination, ids, sender, body).</summary>
    StompLive,

    /// <summary>STOMP: the same for a replayed event.</summary>
    StompReplay,
}
