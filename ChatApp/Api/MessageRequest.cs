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
            var clientIdRead = ClientFrame.TryString(root, "clientId", out var clientId);
            if (clientId is { Length: > ClientFrame.MaxClientIdLength })
                return (null, ChatError.BadFrame with { Message = $"clientId is longer than {ClientFrame.MaxClientIdLength} characters." });
            // A refusal names the clientId when it could be read (PROTOCOL.md §2.2).
            if (!clientIdRead || !ClientFrame.TryString(root, "text", out var text) || !ClientFrame.TryString(root, "to", out var to))
                return (clientIdRead && clientId is not null ? new MessageRequest(null, null, clientId) : null,
                    ChatError.BadFrame with { Message = "text, to and clientId must be strings of well-formed text." });
            return (new MessageRequest(text, to, clientId), null);
        }
    }
}
