using ChatApp.Accounts;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// Checks a message against the settings and renders it, before it reaches the room: the same rules for
/// every transport, and the Markdown work done on the caller's thread, not the room's loop. The names a
/// message addresses (its recipient, its mentions) are looked up awaited: with Chat:Redis that may be a
/// round trip, during which the caller's receive loop waits but no thread does. Storage unreachable for
/// that lookup: refused <c>storage_unavailable</c>, as the send itself would be.
/// </summary>
public sealed class DraftBuilder(IOptions<ChatOptions> options, MessageRenderer renderer, AccountStore accounts, IEnumerable<IStorageOutage> outages)
{
    public async ValueTask<(PostDraft? Draft, ChatError? Error)> MessageAsync(string? text, string? to, string? clientId, CancellationToken cancellationToken = default)
    {
        if (TextError(text) is { } refusal) return (null, refusal);
        var (recipient, error) = await RecipientAsync(to, cancellationToken);
        if (error is not null) return (null, error);
        if (renderer.TryRender(text!) is not { } html) return (null, ChatError.BadFrame with { Message = MessageRenderer.TooDeepMessage });
        var (mentions, unavailable) = await MentionsInAsync(text, cancellationToken);
        if (unavailable is not null) return (null, unavailable);
        return (new PostDraft(ChatEventKind.Message, text!, html, recipient, clientId, Mentions: mentions), null);
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
    public async ValueTask<(PostDraft? Draft, ChatError? Error)> EditAsync(long target, string? text, string? clientId, CancellationToken cancellationToken = default)
    {
        if (TextError(text) is { } refusal) return (null, refusal);
        if (renderer.TryRender(text!) is not { } html) return (null, ChatError.BadFrame with { Message = MessageRenderer.TooDeepMessage });
        var (mentions, unavailable) = await MentionsInAsync(text, cancellationToken);
        if (unavailable is not null) return (null, unavailable);
        return (new PostDraft(ChatEventKind.Edit, text!, html, null, clientId, Target: target, Mentions: mentions), null);
    }

    public PostDraft Delete(long target, string? clientId) => new(ChatEventKind.Delete, "", null, null, clientId, Target: target);

    private ChatError? TextError(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return ChatError.Empty;
        var max = options.Value.MaxMessageLength;
        if (text.Length > max) return ChatError.TooLong(max);
        return IsWellFormed(text) ? null : ChatError.BadFrame with { Message = "The text holds a lone surrogate (not well-formed UTF-16)." };
    }

    /// <summary>The claimed names among the first <see cref="Mentions.MaxCandidates"/> the text addresses, looked up all at once.</summary>
    private async ValueTask<(string[]? Names, ChatError? Error)> MentionsInAsync(string? text, CancellationToken cancellationToken)
    {
        var candidates = Mentions.Candidates(text);
        if (candidates.Count == 0) return (null, null);
        try
        {
            var found = await accounts.FindAllAsync(candidates, cancellationToken);
            return (Mentions.Resolve(found.Select(account => account?.Name)) is { Count: > 0 } names ? [.. names] : null, null);
        }
        catch (Exception e) when (IStorageOutage.Any(outages, e)) { return (null, ChatError.StorageUnavailable); }
    }

    /// <summary>The recipient's name as claimed, or unknown_user for a name never claimed.</summary>
    public async ValueTask<(string? Name, ChatError? Error)> RecipientAsync(string? to, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(to)) return (null, null);
        try { return await accounts.FindAsync(to, cancellationToken) is { } account ? (account.Name, null) : (null, ChatError.UnknownUser); }
        catch (Exception e) when (IStorageOutage.Any(outages, e)) { return (null, ChatError.StorageUnavailable); }
    }
}
