namespace ChatApp.Chat;

/// <summary>
/// Edits and deletions (PROTOCOL.md §2.4) on the room's side: whether one may be made, what it targets while it is on
/// its way to the log, and its effect on the history once stored. Owned by the room loop.
/// </summary>
internal sealed class RoomChanges(RoomHistory history)
{
    // Changes on their way to the log: their targets (by the change's ticket), and the targets being deleted.
    private readonly Dictionary<long, ChatEvent> _targets = [];
    private readonly HashSet<long> _deleting = [];

    /// <summary>The message or file an edit or deletion may change, or the refusal.</summary>
    public (ChatEvent? Target, ChatError? Error) Target(ChatUser user, PostDraft draft)
    {
        var target = draft.Target is { } id ? history.Find(id) : null;
        // A deletion still being stored counts already: nothing may change the message after it.
        if (target is null || !target.IsVisibleTo(user) || target.IsChange || target.Deleted || _deleting.Contains(target.Id))
            return (null, ChatError.NotFound);
        if (target.Kind == ChatEventKind.System || target.From is null || !Names.Equal(target.From, user.Name)) return (null, ChatError.NotYours);
        if (draft.Kind == ChatEventKind.Edit && target.Kind != ChatEventKind.Message) return (null, ChatError.NotEditable);
        return (target, null);
    }

    /// <summary>A change was appended to the log with <paramref name="ticket"/>.</summary>
    public void Appended(ChatEvent change, ChatEvent target, long ticket)
    {
        _targets[ticket] = target;
        if (change.Kind == ChatEventKind.Delete) _deleting.Add(target.Id);
    }

    /// <summary>
    /// An edit or deletion came back from the log (sent here, or on another node when scaled out): once committed, its
    /// target takes its new state in memory. Returns the key of a deleted file, whose bytes are to go.
    /// </summary>
    public string? Apply(ChatEvent change, bool committed)
    {
        var accepted = Forget(change.Ticket);
        if (!committed || change.Target is not { } targetId) return null;
        // The target as it is now (an edit may have come between), else as it was when the change was accepted.
        var current = history.Find(targetId) ?? accepted;
        if (current is null || current.Deleted) return null;
        history.Apply(change, current);
        return change.Kind == ChatEventKind.Delete ? current.FileKey : null;
    }

    /// <summary>Drops what the room remembered of a change it appended with <paramref name="ticket"/>; returns its target as accepted.</summary>
    public ChatEvent? Forget(long ticket)
    {
        if (ticket == 0 || !_targets.Remove(ticket, out var target)) return null;
        _deleting.Remove(target.Id);
        return target;
    }
}
