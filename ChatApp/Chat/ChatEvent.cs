namespace ChatApp.Chat;

/// <summary>One stored event of the room: a message, a shared file or a system notice.</summary>
public sealed class ChatEvent
{
    public long Id { get; init; }
    public DateTime Ts { get; init; }
    public ChatEventKind Kind { get; init; }

    /// <summary>Sender of a message or file; null for system events.</summary>
    public string? From { get; init; }

    /// <summary>The one recipient of a private event; null for public ones.</summary>
    public string? To { get; init; }

    public string Text { get; init; } = "";
    public string? Html { get; init; }
    public string? ClientId { get; init; }

    /// <summary>System events: <c>join</c>, <c>part</c> or <c>profile</c>.</summary>
    public string? SystemEvent { get; init; }

    /// <summary>System events: whom the notice is about.</summary>
    public string? User { get; init; }

    /// <summary>Profile notices: the visitor's address.</summary>
    public string? Ip { get; init; }

    public string? FileName { get; init; }
    public string? ContentType { get; init; }
    public long FileSize { get; init; }

    /// <summary>Name of the stored file under the files directory; never derived from client input.</summary>
    public string? FileKey { get; init; }

    /// <summary>Edit and delete events: the message or file they change.</summary>
    public long? Target { get; init; }

    /// <summary>Messages: time of the latest edit, null when never edited (the message holds its current text).</summary>
    public DateTime? Edited { get; init; }

    /// <summary>Messages and files deleted by their author: no text, name or bytes are kept.</summary>
    public bool Deleted { get; init; }

    /// <summary>Messages and edits: the claimed names addressed as @name (PROTOCOL.md §2.4); null when none.</summary>
    public string[]? Mentions { get; init; }

    public bool IsPrivate => To is not null;

    /// <summary>Messages and files are talk; join, part and profile notices are not.</summary>
    public bool IsTalk => Kind is ChatEventKind.Message or ChatEventKind.File;

    /// <summary>
    /// What a returning reader's recent history holds: talk, and notices addressed to them alone (profile
    /// visits), which they must find when they come back. Public join and part notices are left out.
    /// </summary>
    public bool IsConversation => IsTalk || (Kind == ChatEventKind.System && To is not null);

    /// <summary>Edits and deletions change an earlier event; a default replay shows that event's current state instead.</summary>
    public bool IsChange => Kind is ChatEventKind.Edit or ChatEventKind.Delete;

    /// <summary>An edit of a message deleted since: replays leave it out (the deletion follows it).</summary>
    public bool IsSuperseded => Kind == ChatEventKind.Edit && Deleted;

    public bool IsVisibleTo(ChatUser user)
    {
        if (To is null) return true;
        if (Id <= user.VisibleFromId) return false;
        return Names.Equal(To, user.Name) || (From is not null && Names.Equal(From, user.Name));
    }

    /// <summary>The room's handle on whoever waits for this event (its sender's echo, an HTTP answer); 0 when nobody on this node does. Never stored.</summary>
    internal long Ticket;

    /// <summary>This event (not yet numbered) with its id, as a log stores it.</summary>
    internal ChatEvent Numbered(long id, long ticket) => new()
    {
        Id = id, Ts = Ts, Kind = Kind, From = From, To = To, Text = Text, Html = Html, ClientId = ClientId,
        SystemEvent = SystemEvent, User = User, Ip = Ip, FileName = FileName, ContentType = ContentType, FileSize = FileSize, FileKey = FileKey,
        Target = Target, Edited = Edited, Deleted = Deleted, Mentions = Mentions,
        Ticket = ticket,
    };
}
