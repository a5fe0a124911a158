namespace ChatApp.Chat;

/// <summary>
/// Public events stored in one batch, one after another, on their way to every subscriber (a reconnect storm's joins,
/// a busy minute's messages): a subscriber that can takes them as one item, their frames back to back, built once and
/// shared, instead of one queue write per event (<see cref="RoomSubscriber.DeliverRun"/>). Each stays its own frame on
/// the wire. Owned by the room's loop, and reused: a subscriber keeps the bytes, never the run.
/// </summary>
public sealed class StoredRun
{
    /// <summary>The most events one run carries: a bound on its bytes, and far below any outbox's frame limit.</summary>
    public const int MaxEvents = 64;

    private readonly List<(StoredEvent Event, RoomSubscriber? Origin)> _events = new(MaxEvents);
    private byte[]? _live;

    public int Count => _events.Count;

    public (StoredEvent Event, RoomSubscriber? Origin) this[int index] => _events[index];

    /// <summary>Only public events other than files (whose bytes follow as a frame of their own) belong in a run.</summary>
    public static bool Fits(ChatEvent e) => e.To is null && e.Kind != ChatEventKind.File;

    internal void Add(StoredEvent stored, RoomSubscriber? origin) => _events.Add((stored, origin));

    internal void Clear()
    {
        _events.Clear();
        _live = null;
    }

    /// <summary>Every event's <see cref="EventFrame.Live"/> frame, back to back; built by the first recipient that asks.</summary>
    public byte[] LiveFrames(Func<ChatEvent, byte[]> build)
    {
        if (_live is not null) return _live;
        var length = 0;
        foreach (var (stored, _) in _events) length += stored.Frame(EventFrame.Live, build).Length;
        var bytes = new byte[length];
        var at = 0;
        foreach (var (stored, _) in _events)
        {
            var frame = stored.Frame(EventFrame.Live, build);
            frame.CopyTo(bytes, at);
            at += frame.Length;
        }
        return _live = bytes;
    }
}
