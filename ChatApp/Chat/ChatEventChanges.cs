namespace ChatApp.Chat;

/// <summary>How an edit or a deletion changes the event it targets (PROTOCOL.md §2.4): a new event object, never a mutation.</summary>
public static class ChatEventChanges
{
    /// <summary>The message with the edit's text, html and mentions, marked edited at the edit's time.</summary>
    public static ChatEvent EditedBy(this ChatEvent message, ChatEvent edit) => new()
    {
        Id = message.Id,
        Ts = message.Ts,
        Kind = message.Kind,
        From = message.From,
        To = message.To,
        Text = edit.Text,
        Html = edit.Html,
        Mentions = edit.Mentions,
        Edited = edit.Ts,
        ClientId = message.ClientId,
    };

    /// <summary>What stays of a deleted message or file: who, when, to whom; no text, name or file.</summary>
    public static ChatEvent AsDeleted(this ChatEvent e) => new()
    {
        Id = e.Id,
        Ts = e.Ts,
        Kind = e.Kind,
        From = e.From,
        To = e.To,
        ClientId = e.ClientId,
        Deleted = true,
    };

    /// <summary>An edit of a message deleted later keeps no text either (a since replay skips it).</summary>
    public static ChatEvent AsSuperseded(this ChatEvent edit) => new()
    {
        Id = edit.Id,
        Ts = edit.Ts,
        Kind = edit.Kind,
        From = edit.From,
        To = edit.To,
        Target = edit.Target,
        ClientId = edit.ClientId,
        Deleted = true,
    };
}
