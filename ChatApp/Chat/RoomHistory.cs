using ChatApp.Storage;

namespace ChatApp.Chat;

/// <summary>
/// The room's history for replay and reads: the newest events in memory (<see cref="RecentArchive"/>), and
/// the database for what memory no longer holds. Owned by the room loop.
/// </summary>
internal sealed class RoomHistory(int capacity, EventStore store)
{
    private readonly RecentArchive _archive = new(capacity);
    private long _firstStoredId;

    /// <summary>Loads the newest events from disk and returns them (oldest first).</summary>
    public List<ChatEvent> Load()
    {
        var recent = store.Newest(capacity);
        _archive.Load(recent);
        // A full load may have left older events on disk; a partial one holds everything there is.
        _firstStoredId = recent.Count == capacity ? 1 : _archive.FirstId;
        return recent;
    }

    public void Add(ChatEvent e) => _archive.Add(e);

    /// <summary>Id of the newest event <paramref name="user"/> may see, or 0.</summary>
    public long LastVisibleId(ChatUser user)
    {
        var id = _archive.LastVisibleId(user);
        if (id != 0 || !HasOlderOnDisk(0)) return id;
        var older = store.Visible(user, 0, _archive.FirstId, 1, newest: true);
        return older.Count > 0 ? older[0].Id : 0;
    }

    /// <summary>Events <paramref name="user"/> may see after <paramref name="afterId"/>: the first <paramref name="limit"/>, or the newest when <paramref name="newest"/>; oldest first.</summary>
    public List<ChatEvent> Visible(ChatUser user, long afterId, int limit, bool newest, bool conversationOnly)
    {
        if (limit <= 0) return [];
        var inMemory = _archive.Visible(user, afterId, limit, newest, conversationOnly);
        if (!HasOlderOnDisk(afterId)) return inMemory;
        if (newest)
        {
            if (inMemory.Count >= limit) return inMemory;
            var older = store.Visible(user, afterId, _archive.FirstId, limit - inMemory.Count, newest: true, conversationOnly);
            older.AddRange(inMemory);
            return older;
        }
        var first = store.Visible(user, afterId, _archive.FirstId, limit, newest: false, conversationOnly);
        if (first.Count < limit) first.AddRange(_archive.Visible(user, afterId, limit - first.Count, newest: false, conversationOnly));
        return first;
    }

    /// <summary>Events <paramref name="user"/> may see before <paramref name="beforeId"/>, the newest <paramref name="limit"/>, oldest first.</summary>
    public List<ChatEvent> VisibleBefore(ChatUser user, long beforeId, int limit)
    {
        if (limit <= 0 || beforeId <= 1) return [];
        var inMemory = _archive.VisibleBefore(user, beforeId, limit);
        if (inMemory.Count >= limit || !HasOlderOnDisk(0)) return inMemory;
        var older = store.Visible(user, 0, Math.Min(beforeId, _archive.FirstId), limit - inMemory.Count, newest: true);
        older.AddRange(inMemory);
        return older;
    }

    private bool HasOlderOnDisk(long afterId) =>
        _archive.FirstId > Math.Max(_firstStoredId, 1) && afterId + 1 < _archive.FirstId;
}
