namespace ChatApp.Chat;

/// <summary>
/// Public events stored in one batch, one after another, on their way to every subscriber (a reconnect storm's joins,
/// a busy minute's messages): a subscriber that can takes them as one item, their frames back to back, built once and
/// shared, instead of one queue write per event (<see cref="RoomSubscriber.DeliverRun"/>). Each stays its own frame on
/// the wire. Owned by the room's loop, and reused: a subscriber keeps the bytes, never the run.
/// </summary>
public sealed class StoredRun
{
    /// <summary>The most events one run carries: far below an outbox's frame limit (<c>Chat:OutboxFrames</c> plus a replay).</summary>
    public const int MaxEvents = 256;

    /// <summary>
    /// About the most characters one run carries (each event's text and html, and <see cref="FieldChars"/> for the rest): its
    /// bytes stay in the tens of kilobytes (below the large-object heap's 85,000 even in three-byte UTF-8), however long the
    /// messages. A storm's joins fill a run by count; chat messages of a hundred characters, by this, at about seventy-five.
    /// </summary>
    public const int MaxChars = 20_480;

    /// <summary>What an event's other fields (type, id, time, names) add to its text, about.</summary>
    private const int FieldChars = 64;

    private readonly List<(StoredEvent Event, RoomSubscriber? Origin)> _events = new(MaxEvents);
    private int _chars;
    private byte[]? _live;
    private KeyedFrames _keyed;

    public int Count => _events.Count;

    /// <summary>Whether <paramref name="e"/> goes in with the events gathered so far (an empty run takes anything that fits).</summary>
    internal bool Takes(ChatEvent e) => _events.Count == 0 || _events.Count < MaxEvents && _chars + Chars(e) <= MaxChars;

    private static int Chars(ChatEvent e) => FieldChars + (e.Text?.Length ?? 0) + (e.Html?.Length ?? 0);

    public (StoredEvent Event, RoomSubscriber? Origin) this[int index] => _events[index];

    /// <summary>Only public events other than files (whose bytes follow as a frame of their own) belong in a run.</summary>
    public static bool Fits(ChatEvent e) => e.To is null && e.Kind != ChatEventKind.File;

    internal void Add(StoredEvent stored, RoomSubscriber? origin)
    {
        _events.Add((stored, origin));
        _chars += Chars(stored.Event);
    }

    internal void Clear()
    {
        _events.Clear();
        _chars = 0;
        _live = null;
        _keyed.Clear();
    }

    /// <summary>Every event's <see cref="EventFrame.Live"/> frame, back to back; built by the first recipient that asks.</summary>
    public byte[] LiveFrames(Func<ChatEvent, byte[]> build) => _live ??= Joined(stored => stored.Frame(EventFrame.Live, build));

    /// <summary>
    /// Every event's frame for recipients whose frames differ only by <paramref name="key"/> (<see cref="StoredEvent.Frame(byte[], Func{StoredEvent, byte[], byte[]})"/>),
    /// back to back; built by the first recipient with that key and kept for the next with an equal one (<see cref="KeyedFrames"/>).
    /// </summary>
    public byte[] Frames(byte[] key, Func<StoredEvent, byte[], byte[]> build) =>
        _keyed.Find(key) ?? _keyed.Keep(key, Joined(stored => stored.Frame(key, build)));

    /// <summary>The events' frames back to back; each is asked for twice (to size, then to copy), the second time from its cache.</summary>
    private byte[] Joined(Func<StoredEvent, byte[]> frameOf)
    {
        var length = 0;
        foreach (var (stored, _) in _events) length += frameOf(stored).Length;
        var bytes = new byte[length];
        var at = 0;
        foreach (var (stored, _) in _events)
        {
            var frame = frameOf(stored);
            frame.CopyTo(bytes, at);
            at += frame.Length;
        }
        return bytes;
    }
}
