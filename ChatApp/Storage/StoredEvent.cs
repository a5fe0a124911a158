using ChatApp.Chat;

namespace ChatApp.Storage;

/// <summary>
/// A row of the Events table: what the archive keeps of a <see cref="ChatEvent"/>, and the one place that maps between
/// the two. Only storage sees this type, so the domain event can change shape without touching the schema. A column is
/// kept for what reads filter on or most events fill; the rest is <see cref="Extra"/>. A row is mostly its text: every
/// other byte of it counts (Migrations/*_LeanEvents.cs).
/// </summary>
public sealed class StoredEvent
{
    public long Id { get; set; }
    public DateTime Ts { get; set; }
    public ChatEventKind Kind { get; set; }

    /// <summary>The sender's number in <see cref="Sender"/> (one or two bytes where the name took up to 32); null for system notices.</summary>
    public long? FromId { get; set; }

    public string? To { get; set; }

    /// <summary>Null once the message, file or edit is deleted: nothing of its text is kept (PROTOCOL.md §2.4).</summary>
    public string? Text { get; set; }

    /// <summary>A column, not in <see cref="Extra"/>: the browser sends one with every message.</summary>
    public string? ClientId { get; set; }

    /// <summary>Edits and deletions: the event they change (PROTOCOL.md §2.4).</summary>
    public long? Target { get; set; }

    /// <summary>What most events leave empty (renderings other than a plain paragraph, notices' and files' fields, edit times, mentions), as <see cref="StoredExtra"/> JSON; null for a plain message.</summary>
    public string? Extra { get; set; }

    /// <summary>The row of <paramref name="e"/>, whose sender is number <paramref name="fromId"/> in Senders.</summary>
    public static StoredEvent Of(ChatEvent e, long? fromId) => new()
    {
        Id = e.Id, Ts = e.Ts, Kind = e.Kind, FromId = fromId, To = e.To, Text = e.Deleted ? null : e.Text,
        ClientId = e.ClientId, Target = e.Target, Extra = StoredExtra.Of(e),
    };

    /// <summary>The event this row holds, sent by <paramref name="from"/> (the name of <see cref="FromId"/>).</summary>
    public ChatEvent ToChatEvent(string? from)
    {
        var extra = StoredExtra.Parse(Extra);
        return new()
        {
            Id = Id, Ts = Ts, Kind = Kind, From = from, To = To, Text = Text ?? "", Html = extra.HtmlFor(Kind, Text),
            ClientId = ClientId, SystemEvent = extra.SystemEvent, User = extra.User, Ip = extra.Ip,
            FileName = extra.FileName, ContentType = extra.ContentType, FileSize = extra.FileSize, FileKey = extra.FileKey,
            Target = Target, Edited = extra.Edited is { } edited ? UnixMilliseconds.ToTime(edited) : null, Deleted = Text is null,
            Mentions = extra.Mentions,
        };
    }

    /// <summary>This row after <paramref name="change"/> (an edit's or deletion's effect, <see cref="ChatEventChanges"/>); its sender stays.</summary>
    public StoredEvent Changed(Func<ChatEvent, ChatEvent> change) => Of(change(ToChatEvent(from: null)), FromId);
}
