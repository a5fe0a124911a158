using System.Text.Json;
using System.Text.Json.Serialization;
using ChatApp.Chat;

namespace ChatApp.Scaleout;

/// <summary>
/// An event as the nodes exchange it through Redis: compact JSON without its id (the log entry's id is the
/// event's id). The presence scripts write join and part notices in the same shape with Lua's cjson.
/// </summary>
public static class BusEventCodec
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The fields of one event; names short because every event crosses Redis once per node.</summary>
    private sealed record Body(
        [property: JsonPropertyName("k")] string Kind,
        [property: JsonPropertyName("ts")] long UnixMilliseconds,
        [property: JsonPropertyName("f")] string? From = null,
        [property: JsonPropertyName("to")] string? To = null,
        [property: JsonPropertyName("tx")] string? Text = null,
        [property: JsonPropertyName("h")] string? Html = null,
        [property: JsonPropertyName("c")] string? ClientId = null,
        [property: JsonPropertyName("se")] string? SystemEvent = null,
        [property: JsonPropertyName("u")] string? User = null,
        [property: JsonPropertyName("ip")] string? Ip = null,
        [property: JsonPropertyName("fn")] string? FileName = null,
        [property: JsonPropertyName("ct")] string? ContentType = null,
        [property: JsonPropertyName("fs")] long FileSize = 0,
        [property: JsonPropertyName("fk")] string? FileKey = null,
        [property: JsonPropertyName("o")] string? Origin = null,
        [property: JsonPropertyName("tg")] long? Target = null,
        [property: JsonPropertyName("m")] string[]? Mentions = null);

    /// <summary>The event's JSON; <paramref name="origin"/> (node and request) lets the node that asked find its request again.</summary>
    public static string Encode(ChatEvent e, string? origin = null) => JsonSerializer.Serialize(new Body(
        e.Kind.ToString().ToLowerInvariant(),
        new DateTimeOffset(DateTime.SpecifyKind(e.Ts, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
        e.From, e.To, e.Text, e.Html, e.ClientId, e.SystemEvent, e.User, e.Ip,
        e.FileName, e.ContentType, e.FileSize, e.FileKey, origin, e.Target, e.Mentions), Options);

    /// <summary>The event with id <paramref name="id"/>, and the origin it was sent with (null for notices the scripts wrote).</summary>
    public static (ChatEvent Event, string? Origin) Decode(long id, string json)
    {
        var body = JsonSerializer.Deserialize<Body>(json, Options) ?? throw new JsonException("An empty event on the bus.");
        var e = new ChatEvent
        {
            Id = id,
            Ts = DateTimeOffset.FromUnixTimeMilliseconds(body.UnixMilliseconds).UtcDateTime,
            Kind = body.Kind switch
            {
                "message" => ChatEventKind.Message,
                "file" => ChatEventKind.File,
                "system" => ChatEventKind.System,
                "edit" => ChatEventKind.Edit,
                "delete" => ChatEventKind.Delete,
                _ => throw new JsonException($"Unknown event kind '{body.Kind}' on the bus."),
            },
            From = body.From,
            To = body.To,
            Text = body.Text ?? "",
            Html = body.Html,
            ClientId = body.ClientId,
            SystemEvent = body.SystemEvent,
            User = body.User,
            Ip = body.Ip,
            FileName = body.FileName,
            ContentType = body.ContentType,
            FileSize = body.FileSize,
            FileKey = body.FileKey,
            Target = body.Target,
            Mentions = body.Mentions,
        };
        return (e, body.Origin);
    }
}
