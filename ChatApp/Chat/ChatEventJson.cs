using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChatApp.Chat;

/// <summary>The server-to-client JSON frames of PROTOCOL.md §2.1, written by hand so that absent fields are left out.</summary>
public static class ChatEventJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // '<' and '&' need no escaping inside JSON; escaping them would make every html field longer.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string FormatTime(DateTime ts) =>
        ts.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string FileUrl(long id) => $"/files/{id}";

    /// <summary>One event as its JSON object. <paramref name="binary"/> is the file event's flag (ignored for other kinds).</summary>
    public static byte[] Event(ChatEvent e, bool replay = false, bool binary = false, Finish? finish = null) =>
        Build(w => WriteEvent(w, e, replay, binary), finish);

    public static void WriteEvent(Utf8JsonWriter w, ChatEvent e, bool replay = false, bool binary = false)
    {
        w.WriteStartObject();
        if (e.Deleted && e.Kind is ChatEventKind.Message or ChatEventKind.File)
        {
            // What stays of a deleted message or file (PROTOCOL.md §2.4): no text, name or url.
            w.WriteString("type", e.Kind == ChatEventKind.File ? "file" : "message");
            WriteHead(w, e);
            w.WriteString("from", e.From);
            if (e.To is not null) w.WriteString("to", e.To);
            w.WriteBoolean("deleted", true);
        }
        else switch (e.Kind)
        {
            case ChatEventKind.Message:
                w.WriteString("type", "message");
                WriteHead(w, e);
                w.WriteString("from", e.From);
                w.WriteString("text", e.Text);
                w.WriteString("html", e.Html);
                if (e.To is not null) w.WriteString("to", e.To);
                if (e.ClientId is not null) w.WriteString("clientId", e.ClientId);
                WriteMentions(w, e);
                if (e.Edited is { } edited) w.WriteString("edited", FormatTime(edited));
                break;
            case ChatEventKind.File:
                w.WriteString("type", "file");
                WriteHead(w, e);
                w.WriteString("from", e.From);
                w.WriteString("name", e.FileName);
                w.WriteString("contentType", e.ContentType);
                w.WriteNumber("size", e.FileSize);
                w.WriteString("url", FileUrl(e.Id));
                if (e.To is not null) w.WriteString("to", e.To);
                w.WriteBoolean("binary", binary && !replay);
                if (e.ClientId is not null) w.WriteString("clientId", e.ClientId);
                break;
            case ChatEventKind.System:
                w.WriteString("type", "system");
                WriteHead(w, e);
                w.WriteString("event", e.SystemEvent);
                w.WriteString("user", e.User);
                w.WriteString("text", e.Text);
                if (e.To is not null) w.WriteString("to", e.To);
                if (e.Ip is not null) w.WriteString("ip", e.Ip);
                break;
            case ChatEventKind.Edit:
            case ChatEventKind.Delete:
                w.WriteString("type", e.Kind == ChatEventKind.Edit ? "edit" : "delete");
                WriteHead(w, e);
                w.WriteString("from", e.From);
                w.WriteNumber("target", e.Target ?? 0);
                if (e.Kind == ChatEventKind.Edit)
                {
                    w.WriteString("text", e.Text);
                    w.WriteString("html", e.Html);
                    WriteMentions(w, e);
                }
                if (e.To is not null) w.WriteString("to", e.To);
                if (e.ClientId is not null) w.WriteString("clientId", e.ClientId);
                break;
        }
        if (replay) w.WriteBoolean("replay", true);
        w.WriteEndObject();
    }

    private static void WriteMentions(Utf8JsonWriter w, ChatEvent e)
    {
        if (e.Mentions is not { Length: > 0 } mentions) return;
        w.WriteStartArray("mentions");
        foreach (var name in mentions) w.WriteStringValue(name);
        w.WriteEndArray();
    }

    private static void WriteHead(Utf8JsonWriter w, ChatEvent e)
    {
        w.WriteNumber("id", e.Id);
        w.WriteString("ts", FormatTime(e.Ts));
    }

    public static byte[] Welcome(string user, long lastId, Finish? finish = null) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "welcome");
        w.WriteString("user", user);
        w.WriteNumber("lastId", lastId);
        w.WriteEndObject();
    }, finish);

    public static byte[] Replayed(int count, long lastId, Finish? finish = null) => Replayed(count, lastId, truncated: false, finish);

    /// <summary>The end of a replay; <c>truncated</c> only when a since replay was capped (PROTOCOL.md §2.3).</summary>
    public static byte[] Replayed(int count, long lastId, bool truncated, Finish? finish = null) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "replayed");
        w.WriteNumber("count", count);
        w.WriteNumber("lastId", lastId);
        if (truncated) w.WriteBoolean("truncated", true);
        w.WriteEndObject();
    }, finish);

    /// <summary>The roster frame; with no <paramref name="type"/>, the bare <c>{"users":[...]}</c> of <c>/api/roster</c>.</summary>
    public static byte[] Roster(IEnumerable<string> users, string? type = "roster", Finish? finish = null) => users is RosterView view
        ? RosterOfEncoded(view, type, finish)
        : Build(w =>
    {
        w.WriteStartObject();
        if (type is not null) w.WriteString("type", type);
        w.WriteStartArray("users");
        foreach (var u in users) w.WriteStringValue(u);
        w.WriteEndArray();
        w.WriteEndObject();
    }, finish);

    /// <summary>
    /// The room's roster from the JSON of the list the view keeps: one copy of bytes rather than a writer's pass
    /// (escaping checks) over every name, for each connection of a storm (every join changes the roster). Byte for
    /// byte what the writer makes.
    /// </summary>
    private static byte[] RosterOfEncoded(RosterView view, string? type, Finish? finish)
    {
        var head = type is null ? "{\"users\":["u8 : type == "roster" ? "{\"type\":\"roster\",\"users\":["u8 : Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WriteStartArray("users");
        });
        var list = view.ListJson;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var span = buffer.GetSpan(head.Length + list.Length + 2);
        head.CopyTo(span);
        list.CopyTo(span[head.Length..]);
        var at = head.Length + list.Length;
        span[at++] = (byte)']';
        span[at++] = (byte)'}';
        buffer.Advance(at);
        return Finished(buffer, finish);
    }

    /// <summary>A string as a JSON value, quotes included, escaped as every frame escapes.</summary>
    public static byte[] StringValue(string value) => Build(w => w.WriteStringValue(value));

    public static byte[] Error(ChatError error, string? clientId, Finish? finish = null) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        if (clientId is not null) w.WriteString("clientId", clientId);
        w.WriteEndObject();
    }, finish);

    public static readonly byte[] Pong = "{\"type\":\"pong\"}"u8.ToArray();

    /// <summary>Turns the written JSON into the bytes to keep (a copy: the span is reused); by default the JSON itself.</summary>
    public delegate byte[] Finish(ReadOnlySpan<byte> json);

    private const int KeptBufferBytes = 256 * 1024;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Writes JSON into a buffer reused by this thread and hands it to <paramref name="finish"/>, so a
    /// frame costs one allocation (the frame itself), not three (growing buffer, copy, framed copy).
    /// </summary>
    public static byte[] Build(Action<Utf8JsonWriter> write, Finish? finish = null)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        write(writer);
        writer.Flush();
        return Finished(buffer, finish);
    }

    /// <summary>The bytes to keep from this thread's buffer; a huge roster's buffer is not kept.</summary>
    private static byte[] Finished(ArrayBufferWriter<byte> buffer, Finish? finish)
    {
        var result = finish is null ? buffer.WrittenSpan.ToArray() : finish(buffer.WrittenSpan);
        if (buffer.Capacity > KeptBufferBytes) (t_buffer, t_writer) = (null, null);
        return result;
    }
}
