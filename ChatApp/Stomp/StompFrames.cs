using System.Globalization;
using System.Text;
using ChatApp.Chat;
using ChatApp.Connections;

namespace ChatApp.Stomp;

/// <summary>
/// Server-to-client STOMP frames, each inside one WebSocket text frame. A MESSAGE is built from a part shared
/// by every recipient of an event (destination, ids, sender, body), built once, and a small head per recipient
/// (its own <c>subscription</c> id).
/// </summary>
public static class StompFrames
{
    public const string TopicChat = "/topic/chat";
    public const string PrivateQueue = "/user/queue/private";

    /// <summary>A server heart-beat: one EOL in its own WebSocket message.</summary>
    public static readonly byte[] HeartBeat = WebSocketFrames.Text("\n"u8);

    public static byte[] Connected(StompVersion version, string heartBeat, string userName, string session) => Build("CONNECTED",
    [
        new("version", version.Name()),
        new("heart-beat", heartBeat),
        new("server", "ChatApp/1"),
        new("session", session),
        new("user-name", userName),
    ], [], escape: null);

    /// <summary>An ERROR; <paramref name="details"/> is the plain-text body.</summary>
    public static byte[] Error(string message, string details, StompVersion? version, string? receiptId = null)
    {
        var headers = new List<KeyValuePair<string, string>> { new("message", OneLine(message)), new("content-type", "text/plain;charset=utf-8") };
        if (receiptId is not null) headers.Add(new("receipt-id", receiptId));
        if (version is null) headers.Add(new("version", "1.2,1.1,1.0"));
        return Build("ERROR", headers, Encoding.UTF8.GetBytes(details), version);
    }

    public static byte[] Receipt(string receiptId, StompVersion version) => Build("RECEIPT", [new("receipt-id", receiptId)], [], version);

    /// <summary>A MESSAGE whose JSON body is not an event (roster, replayed, error); <paramref name="extra"/> marks it (<c>roster:true</c>).</summary>
    public static byte[] Message(string subscription, string destination, ReadOnlySpan<byte> json, StompVersion version, string? extra = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (subscription.Length > 0) headers.Add(new("subscription", subscription));
        headers.Add(new("destination", destination));
        headers.Add(new("message-id", $"{extra ?? "notice"}-{Interlocked.Increment(ref s_notices)}"));
        if (extra is not null) headers.Add(new(extra, "true"));
        headers.Add(new("content-type", "application/json"));
        return Build("MESSAGE", headers, json, version);
    }

    private static long s_notices;

    /// <summary>The start of every MESSAGE to subscription <paramref name="id"/>: the command and the subscription header.</summary>
    public static byte[] MessageHead(string id, StompVersion version) =>
        Encoding.UTF8.GetBytes($"MESSAGE\nsubscription:{StompEscaping.Escape(id, version)}\n");

    /// <summary>
    /// An event as a MESSAGE to the subscription whose <see cref="MessageHead"/> is <paramref name="head"/>. The rest is built once
    /// per event and kind of delivery and kept with the event; a live frame is kept whole for the next subscription with the same
    /// head, so a room of stompjs clients (all <c>sub-0</c>) shares one frame per event, as <c>/ws</c> connections do.
    /// </summary>
    public static byte[] Event(StoredEvent e, bool replay, byte[] head) => replay
        ? WebSocketFrames.Text(head, e.Frame(EventFrame.StompReplay, ReplayTail))
        : e.Frame(head, LiveFrame);

    private static readonly Func<StoredEvent, byte[], byte[]> LiveFrame = (e, head) => WebSocketFrames.Text(head, e.Frame(EventFrame.StompLive, LiveTail));

    /// <summary>A run of public events (<see cref="StoredRun"/>) as MESSAGEs to one subscription, back to back, shared like <see cref="Event"/>'s.</summary>
    public static byte[] Run(StoredRun run, byte[] head) => run.Frames(head, LiveFrame);

    private static readonly Func<ChatEvent, byte[]> LiveTail = e => EventTail(e, replay: false);
    private static readonly Func<ChatEvent, byte[]> ReplayTail = e => EventTail(e, replay: true);

    /// <summary>Everything of an event's MESSAGE after its subscription header: the same bytes for every recipient.</summary>
    private static byte[] EventTail(ChatEvent e, bool replay)
    {
        var json = ChatEventJson.Event(e, replay: replay);
        var head = new StringBuilder();
        head.Append("destination:").Append(e.To is null ? TopicChat : PrivateQueue).Append('\n');
        head.Append("message-id:").Append(e.Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        // Names are letters, digits, '_', '-' and '.': nothing in them needs escaping.
        head.Append("sender:").Append(e.From ?? "system").Append('\n');
        if (e.To is not null) head.Append("recipient:").Append(e.To).Append('\n');
        head.Append("content-type:application/json\n");
        head.Append("content-length:").Append(json.Length.ToString(CultureInfo.InvariantCulture)).Append("\n\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var tail = new byte[headBytes.Length + json.Length + 1];
        headBytes.CopyTo(tail, 0);
        json.CopyTo(tail, headBytes.Length);
        return tail; // ends with the NUL (0) the array was created with
    }

    /// <summary>A whole frame; <paramref name="escape"/> null writes header values as they are (CONNECTED, version 1.0).</summary>
    private static byte[] Build(string command, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body, StompVersion? escape)
    {
        var text = new StringBuilder(command).Append('\n');
        foreach (var (name, value) in headers)
            text.Append(name).Append(':').Append(escape is { } v ? StompEscaping.Escape(value, v) : OneLine(value)).Append('\n');
        if (body.Length > 0) text.Append("content-length:").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append('\n');
        // The frame is allocated once, at its size, and the body copied once (a roster is tens of kilobytes, per connection).
        return WebSocketFrames.Text(Encoding.UTF8.GetBytes(text.ToString()), body, [0]);
    }

    /// <summary>Unescaped header values must not break the frame: line breaks become spaces.</summary>
    private static string OneLine(string value) => value.Replace('\r', ' ').Replace('\n', ' ');
}
