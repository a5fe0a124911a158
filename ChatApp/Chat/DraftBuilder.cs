using ChatApp.Accounts;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// Checks a message against the settings and renders it, before it reaches the room: the same rules for
/// every transport, and the Markdown work done on the caller's thread, not the room's loop.
/// </summary>
public sealed class DraftBuilder(IOptions<ChatOptions> options, MessageRenderer renderer, AccountStore accounts)
{
    public (PostDraft? Draft, ChatError? Error) Message(string? text, string? to, string? clientId)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, ChatError.Empty);
        var max = options.Value.MaxMessageLength;
        if (text.Length > max) return (null, ChatError.TooLong(max));
        var (recipient, error) = Recipient(to);
        if (error is not null) return (null, error);
        return (new PostDraft(ChatEventKind.Message, text, renderer.Render(text), recipient, clientId), null);
    }

    /// <summary>The recipient's name as claimed, or unknown_user for a name never claimed.</summary>
    public (string? Name, ChatError? Error) Recipient(string? to)
    {
        if (string.IsNullOrEmpty(to)) return (null, null);
        return accounts.Find(to) is { } account ? (account.Name, null) : (null, ChatError.UnknownUser);
    }
}
