namespace ChatApp.Storage;

/// <summary>
/// A row of the Senders table: a name that has sent events, by the number the Events rows hold for it
/// (<see cref="StoredEvent.FromId"/>), and the count of its public messages that the profile page shows
/// (<see cref="PublicMessageCounts"/>). A row is never removed, and its name never changes.
/// </summary>
public sealed class Sender
{
    public long Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary><see cref="PublicMessages"/> counts the ones with greater ids: the name's current owner's (<c>VisibleFromId</c>).</summary>
    public long CountedAfterId { get; set; }

    /// <summary>Public messages (not private, not files or changes; deleted ones too) with ids above <see cref="CountedAfterId"/>, as committed.</summary>
    public long PublicMessages { get; set; }
}
