namespace ChatApp.Chat;

/// <summary>
/// Edits and deletions (PROTOCOL.md §2.4) on the room's side: whether one may be made, what it targets while it is on
/// its way to the log, and its effect on the history once stored. Owned by the room loop, which never reads the disk:
/// a target older than memory is read by the <see cref="TargetReader"/>, and the change comes back with it.
/// </summary>
internal sealed class RoomChanges(RoomHistory history)
{
    // Changes on their way to the log: their targets (by the change's ticket), and the targets being deleted.
    private readonly Dictionary<long, ChatEvent> _targets = [];
    private readonly HashSet<long> _deleting = [];

    // Targets older than memory whose deletion was stored while a read of the disk was out: that read may have been made
    // before the commit. Emptied whenever no read is out (every later read starts after those commits).
    private readonly HashSet<long> _deletedWhileReading = [];
    private int _readsOut;

    /// <summary>
    /// The message or file an edit or deletion may change, or the refusal; neither when the target is older than memory
    /// and <paramref name="read"/> does not hold it yet (<paramref name="readFirst"/>: hand the change to the reader).
    /// </summary>
    public (ChatEvent? Target, ChatError? Error) Target(ChatUser user, PostDraft draft, TargetRead? read, out bool readFirst)
    {
        readFirst = false;
        var id = draft.Target ?? 0;
        var target = history.Find(id, out var onDiskOnly);
        if (target is null && onDiskOnly)
        {
            if (read is null || read.Id != id)
            {
                readFirst = true;
                _readsOut++;
                return (null, null);
            }
            if (read.Failed) return (null, ChatError.StorageUnavailable);
            target = read.Event;
        }
        // A deletion still being stored counts already: nothing may change the message after it.
        if (target is null || !target.IsVisibleTo(user) || target.IsChange || target.Deleted || _deleting.Contains(target.Id))
            return (null, ChatError.NotFound);
        if (target.Kind == ChatEventKind.System || target.From is null || !Names.Equal(target.From, user.Name)) return (null, ChatError.NotYours);
        if (draft.Kind == ChatEventKind.Edit && target.Kind != ChatEventKind.Message) return (null, ChatError.NotEditable);
        return (target, null);
    }

    /// <summary>
    /// A change handed to the reader is back on the loop (before anything else is decided about it): what it read, less
    /// a target whose deletion was stored meanwhile (the disk may have been read before that commit).
    /// </summary>
    public TargetRead Returned(TargetRead read)
    {
        var deletedMeanwhile = _deletedWhileReading.Contains(read.Id);
        if (--_readsOut == 0) _deletedWhileReading.Clear();
        return deletedMeanwhile ? read with { Event = read.Event?.AsDeleted() } : read;
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
        // The target as memory holds it now (an edit may have come between), else as it was when the change was accepted
        // here; a target older than memory changed on another node is in neither, and only its row on disk changes.
        var current = history.Find(targetId, out var onDiskOnly) ?? accepted;
        if (change.Kind == ChatEventKind.Delete && onDiskOnly && _readsOut > 0) _deletedWhileReading.Add(targetId);
        if (current is { Deleted: true }) return null;
        history.Apply(change, current);
        return change.Kind == ChatEventKind.Delete ? current?.FileKey : null;
    }

    /// <summary>Drops what the room remembered of a change it appended with <paramref name="ticket"/>; returns its target as accepted.</summary>
    public ChatEvent? Forget(long ticket)
    {
        if (ticket == 0 || !_targets.Remove(ticket, out var target)) return null;
        _deleting.Remove(target.Id);
        return target;
    }
}
