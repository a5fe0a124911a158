using System.Text;
using System.Text.Json;
using ChatApp.Chat;

namespace ChatApp.Connections;

/// <summary>A client-to-server text frame (PROTOCOL.md §2.2), parsed but not yet validated against the settings.</summary>
public sealed record ClientFrame(string Type, string? Text = null, string? To = null, string? ClientId = null,
    string? Name = null, string? ContentType = null, long Size = 0, long Target = 0)
{
    public const int MaxClientIdLength = Limits.MaxClientIdLength;

    /// <summary>Parses one frame. A text that is not a JSON object is a public message with that text.</summary>
    public static (ClientFrame? Frame, ChatError? Error) Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(utf8); }
        catch (JsonException) { return (new ClientFrame("message", Encoding.UTF8.GetString(utf8.Span)), null); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (new ClientFrame("message", Encoding.UTF8.GetString(utf8.Span)), null);
            return FromObject(root);
        }
    }

    /// <summary>
    /// Reads and checks the fields. A refusal comes with a frame that carries only the clientId, when that
    /// could be read, so the error frame can name it (PROTOCOL.md §2.2).
    /// </summary>
    public static (ClientFrame? Frame, ChatError? Error) FromObject(JsonElement root)
    {
        var clientIdRead = TryString(root, "clientId", out var clientId);
        if (clientId is { Length: > MaxClientIdLength })
            return (null, ChatError.BadFrame with { Message = $"clientId is longer than {MaxClientIdLength} characters." });
        var onlyClientId = clientIdRead && clientId is not null ? new ClientFrame("", ClientId: clientId) : null;
        if (!TryString(root, "type", out var type) || type is null) return (onlyClientId, ChatError.BadFrame);
        if (!clientIdRead || !TryString(root, "text", out var text) || !TryString(root, "to", out var to)
            || !TryString(root, "name", out var name) || !TryString(root, "contentType", out var contentType))
            return (onlyClientId, ChatError.BadFrame with { Message = "Fields must be strings of well-formed text." });
        long size = 0;
        if (root.TryGetProperty("size", out var sizeElement) && sizeElement.ValueKind != JsonValueKind.Null
            && (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt64(out size) || size < 0))
            return (onlyClientId, ChatError.BadFrame with { Message = "size must be a whole number of bytes." });
        long target = 0;
        if (root.TryGetProperty("target", out var targetElement) && targetElement.ValueKind != JsonValueKind.Null
            && (targetElement.ValueKind != JsonValueKind.Number || !targetElement.TryGetInt64(out target) || target < 1))
            return (onlyClientId, ChatError.BadFrame with { Message = "target must be an event id." });
        return type switch
        {
            "message" or "ping" or "file" => (new ClientFrame(type, text, to, clientId, name, contentType, size), null),
            // PROTOCOL.md §2.4: a change names the message it changes.
            "edit" or "delete" when target == 0 => (onlyClientId, ChatError.BadFrame with { Message = $"A {type} frame needs a target (an event id)." }),
            "edit" or "delete" => (new ClientFrame(type, text, null, clientId, Target: target), null),
            _ => (onlyClientId, ChatError.BadFrame with { Message = $"Unknown frame type '{Truncate(type)}'." }),
        };
    }

    /// <summary>
    /// False when the field is present with a kind other than string or null, or holds a lone surrogate
    /// (<c>"\ud800"</c>), which no reply could encode (shared with the HTTP API's body).
    /// </summary>
    internal static bool TryString(JsonElement root, string field, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        string text;
        try { text = element.GetString()!; }
        catch (InvalidOperationException) { return false; } // a lone surrogate cannot even be read out
        if (!DraftBuilder.IsWellFormed(text)) return false;
        value = text;
        return true;
    }

    private static string Truncate(string s) => s.Length <= 32 ? s : s[..32] + "…";
}
