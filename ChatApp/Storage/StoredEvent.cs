using ChatApp.Chat;

namespace ChatApp.Storage;

/// <summary>
/// A row of the Events table: what the archive keeps of a <see cref="ChatEvent"/>. Only storage sees this
/// type, so the domain event can change shape (caches, computed members) without touching the schema.
/// </summary>
public sealed class StoredEvent
{
    public long Id { get; set; }
    public DateTime Ts { get; set; }
    public ChatEventKind Kind { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string Text { get; set; } = "";
    /// <summary>The rendering, kept short when it is a plain paragraph of <see cref="Text"/> (<see cref="StoredHtml"/>).</summary>
    public string? Html { get; set; }
    public string? ClientId { get; set; }
    public string? SystemEvent { get; set; }
    public string? User { get; set; }
    public string? Ip { get; set; }
    public string? FileName { get; set; }
    public string? ContentType { get; set; }
    public long FileSize { get; set; }
    public string? FileKey { get; set; }

    /// <summary>Edits and deletions: the event they change (PROTOCOL.md §2.4).</summary>
    public long? Target { get; set; }

    /// <summary>Messages: when last edited; the row holds the current text.</summary>
    public DateTime? Edited { get; set; }

    /// <summary>Deleted messages and files (their text, name and key cleared), and edits of deleted messages.</summary>
    public bool Deleted { get; set; }

    /// <summary>Claimed names the message mentions (a JSON array), null when none.</summary>
    public string[]? Mentions { get; set; }

    public static StoredEvent Of(ChatEvent e) => new()
    {
        Id = e.Id, Ts = e.Ts, Kind = e.Kind, From = e.From, To = e.To, Text = e.Text, Html = StoredHtml.Compact(e.Text, e.Html),
        ClientId = e.ClientId, SystemEvent = e.SystemEvent, User = e.User, Ip = e.Ip,
        FileName = e.FileName, ContentType = e.ContentType, FileSize = e.FileSize, FileKey = e.FileKey,
        Target = e.Target, Edited = e.Edited, Deleted = e.Deleted, Mentions = e.Mentions,
    };

    public ChatEvent ToChatEvent() => new()
    {
        Id = Id, Ts = Ts, Kind = Kind, From = From, To = To, Text = Text, Html = StoredHtml.Expand(Text, Html),
        ClientId = ClientId, SystemEvent = SystemEvent, User = User, Ip = Ip,
        FileName = FileName, ContentType = ContentType, FileSize = FileSize, FileKey = FileKey,
        Target = Target, Edited = Edited, Deleted = Deleted, Mentions = Mentions,
    };
}
