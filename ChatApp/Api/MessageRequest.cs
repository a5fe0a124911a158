using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Connections;

namespace ChatApp.Api;

/// <summary>The body of <c>POST /api/messages</c>: <c>{"text","to"?,"clientId"?}</c>, checked for shape only (the room's rules come after).</summary>
public sealed record MessageRequest(string? Text, string? To, string? ClientId)
{
    public static (MessageRequest? Request, ChatError? Error) Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(utf8); }
        catch (JsonException) { return (null, ChatError.BadFrame with { Message = "The body is not JSON." }); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, ChatError.BadFrame with { Message = "The body is not a JSON object." });
            if (!TryString(root, "text", out var text) || !TryString(root, "to", out var to) || !TryString(root, "clientId", out var clientId))
                return (null, ChatError.BadFrame with { Message = "text, to and clientId must be strings." });
            if (clientId is { Length: > ClientFrame.MaxClientIdLength })
                return (null, ChatError.BadFrame with { Message = $"clientId is longer than {ClientFrame.MaxClientIdLength} characters." });
            return (new MessageRequest(text, to, clientId), null);
        }
    }

    /// <summary>False when the field is present with a kind other than string or null.</summary>
    private static bool TryString(JsonElement root, string field, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null) return true;
        if (element.ValueKind != JsonValueKind.String) return false;
        value = element.GetString();
        return true;
    }
}
