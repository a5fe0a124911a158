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
        if (TextError(text) is { } refusal) return (null, refusal);
        var (recipient, error) = Recipient(to);
        if (error is not null) return (null, error);
        if (renderer.TryRender(text!) is not { } html) return (null, ChatError.BadFrame with { Message = MessageRenderer.TooDeepMessage });
        return (new PostDraft(ChatEventKind.Message, text!, html, recipient, clientId, Mentions: MentionsIn(text)), null);
    }

    /// <summary>False for text with a lone UTF-16 surrogate: it cannot be encoded as UTF-8, so no reply or page could carry it.</summary>
    public static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        var i = span.IndexOfAnyInRange('\ud800', '\udfff');
        if (i < 0) return true;
        for (; i < span.Length; i++)
        {
            if (!char.IsSurrogate(span[i])) continue;
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) { i++; continue; }
            return false;
        }
        return true;
    }

    /// <summary>A new text for message <paramref name="target"/> (PROTOCOL.md §2.4); whose message it is, the room checks.</summary>
    public (PostDraft? Draft, ChatError? Error) Edit(long target, string? text, string? clientId)
    {
        if (TextError(text) is { } refusal) return (null, refusal);
        if (renderer.TryRender(text!) is not { } html) return (null, ChatError.BadFrame with { Message = MessageRenderer.TooDeepMessage });
        return (new PostDraft(ChatEventKind.Edit, text!, html, null, clientId, Target: target, Mentions: MentionsIn(text)), null);
    }

    public PostDraft Delete(long target, string? clientId) => new(ChatEventKind.Delete, "", null, null, clientId, Target: target);

    private ChatError? TextError(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return ChatError.Empty;
        var max = options.Value.MaxMessageLength;
        if (text.Length > max) return ChatError.TooLong(max);
        return IsWellFormed(text) ? null : ChatError.BadFrame with { Message = "The text holds a lone surrogate (not well-formed UTF-16)." };
    }

    private string[]? MentionsIn(string? text) =>
        Mentions.Find(text, name => accounts.Find(name)?.Name) is { Count: > 0 } names ? [.. names] : null;

    /// <summary>The recipient's name as claimed, or unknown_user for a name never claimed.</summary>
    public (string? Name, ChatError? Error) Recipient(string? to)
    {
        if (string.IsNullOrEmpty(to)) return (null, null);
        return accounts.Find(to) is { } account ? (account.Name, null) : (null, ChatError.UnknownUser);
    }
}
