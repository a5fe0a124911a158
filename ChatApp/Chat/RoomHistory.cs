using ChatApp.Diagnostics;
using ChatApp.Storage;

namespace ChatApp.Chat;

/// <summary>
/// The room's history for replay and reads: the newest events in memory (<see cref="RecentArchive"/>), and the
/// database for what memory no longer holds. Owned by the room loop, which answers only from memory: what lies
/// below it comes back as a <see cref="HistoryRead"/> for the caller to read (<see cref="ReadAsync"/>) off the loop.
/// </summary>
internal sealed class RoomHistory(int capacity, int talkCapacity, EventStore store, ChatMetrics metrics)
{
    private readonly RecentArchive _archive = new(capacity, talkCapacity);
    private bool _allEventsHeld;

    /// <summary>Loads the newest events (and conversation beyond them) from disk and returns the events (oldest first). Before the loop starts.</summary>
    public List<ChatEvent> Load()
    {
        var recent = store.Newest(capacity);
        // A full load may have left older events on disk; a partial one holds everything there is.
        _allEventsHeld = recent.Count < capacity;
        _archive.Load(recent.Select(e => new StoredEvent(e)), _allEventsHeld ? TalkLoad.None : OlderTalk(recent));
        return recent;
    }

    /// <summary>
    /// The conversation older than <paramref name="recent"/> (a full load): the newest public talk, then the private
    /// conversation as far back as that reaches, the newest held and the rest remembered per name.
    /// </summary>
    private TalkLoad OlderTalk(List<ChatEvent> recent)
    {
        var below = recent[0].Id;
        var publicWanted = talkCapacity - recent.Count(e => e.IsTalk && e.To is null);
        var olderPublic = publicWanted > 0 ? store.NewestPublicTalk(below, publicWanted) : [];
        // Every public talk event from publicFrom on is now held: all there are, or those from the oldest loaded (or,
        // when none was wanted, from the first of the newest events) on.
        var publicFrom = publicWanted > 0 && olderPublic.Count < publicWanted ? 0 : olderPublic.Count > 0 ? olderPublic[0].Id : below;
        var privateWanted = Math.Max(0, talkCapacity - recent.Count(e => e.IsConversation && e.To is not null));
        var older = store.PrivateConversation(publicFrom, below, privateWanted);
        var privateFrom = !older.More ? publicFrom : older.Held.Count > 0 ? older.Held[0].Id : below;
        return new TalkLoad(olderPublic.ConvertAll(e => new StoredEvent(e)), publicFrom,
            older.Held.ConvertAll(e => new StoredEvent(e)), privateFrom, publicFrom, older.NewestPerName);
    }

    public void Add(StoredEvent e) => _archive.Add(e);

    /// <summary>
    /// The event with <paramref name="id"/> in its current state, from memory; null when memory does not hold it, and then
    /// <paramref name="onDiskOnly"/> tells whether it may be on disk (older than memory): a <see cref="TargetReader"/> reads it.
    /// </summary>
    public ChatEvent? Find(long id, out bool onDiskOnly)
    {
        onDiskOnly = false;
        if (id <= 0) return null;
        if (_archive.Find(id) is { } held) return held.Event;
        onDiskOnly = id < DiskBelow(conversationOnly: false);
        return null;
    }

    /// <summary>
    /// A stored edit or deletion: the target's current state replaces it in memory (the writer changes its row on disk),
    /// and a deletion's edits held in memory lose their text. <paramref name="target"/> is null when memory does not hold it.
    /// </summary>
    public void Apply(ChatEvent change, ChatEvent? target)
    {
        if (change.Kind == ChatEventKind.Edit)
        {
            if (target is not null) _archive.Replace(new StoredEvent(target.EditedBy(change)));
            return;
        }
        if (target is not null) _archive.Replace(new StoredEvent(target.AsDeleted()));
        // Edits of a message older than memory may still be held: they lose their text all the same.
        foreach (var edit in _archive.EditsOf(change.Target!.Value).ToList()) _archive.Replace(new StoredEvent(edit.AsSuperseded()));
    }

    /// <summary>Below this id, events of the kind asked for may be on disk only; 0 when memory holds them all.</summary>
    private long DiskBelow(bool conversationOnly) => conversationOnly
        ? _archive.ConversationFrom
        : (_allEventsHeld && !_archive.Trimmed ? 0 : _archive.FirstId);

    /// <summary>Id of the newest event <paramref name="user"/> may see, or 0; null when only the disk can tell (<paramref name="needs"/> gets the read).</summary>
    public long? LastVisibleId(ChatUser user, IReadOnlyList<HistoryPage>? pages, List<HistoryRead> needs)
    {
        var id = _archive.LastVisibleId(user);
        var below = DiskBelow(conversationOnly: false);
        if (id != 0 || below <= 1) return id;
        var read = new HistoryRead(user, 0, below, 1, Newest: true, ConversationOnly: false);
        if (Find(pages, read, below) is { } page) return page.Events.Count > 0 ? page.Events[^1].Id : 0;
        needs.Add(read);
        return null;
    }

    /// <summary>
    /// Events <paramref name="user"/> may see after <paramref name="afterId"/>: the first <paramref name="limit"/>, or the
    /// newest when <paramref name="newest"/>; oldest first. Null when part of the answer is on disk only and not among
    /// <paramref name="pages"/>: then <paramref name="needs"/> gets what to read.
    /// </summary>
    public List<StoredEvent>? Visible(ChatUser user, long afterId, int limit, bool newest, bool conversationOnly,
        IReadOnlyList<HistoryPage>? pages, List<HistoryRead> needs)
    {
        if (limit <= 0) return [];
        if (conversationOnly)
        {
            // Memory answers when it holds every conversation event the user may see from the answer's oldest on.
            var talk = _archive.Visible(user, afterId, limit, newest, conversationOnly: true);
            if (_archive.HoldsConversationFrom(user, newest && talk.Count >= limit ? talk[0].Id : afterId + 1)) return talk;
        }
        var below = DiskBelow(conversationOnly);
        var onDisk = below > 0 && afterId + 1 < below;
        if (!onDisk) return _archive.Visible(user, afterId, limit, newest, conversationOnly);
        if (newest && !conversationOnly)
        {
            var inMemory = _archive.Visible(user, afterId, limit, newest: true, conversationOnly);
            if (inMemory.Count >= limit) return inMemory;
        }
        var read = new HistoryRead(user, afterId, below, limit, newest, conversationOnly);
        if (Find(pages, read, below) is not { } page)
        {
            needs.Add(read);
            return null;
        }
        // The page covers (afterId, page.BeforeId); memory holds everything from page.BeforeId on.
        var boundary = page.Read.BeforeId;
        if (newest)
        {
            var above = _archive.Visible(user, boundary - 1, limit, newest: true, conversationOnly);
            var fromDisk = Math.Min(page.Events.Count, limit - above.Count);
            var result = FromDisk(page.Events, page.Events.Count - fromDisk, fromDisk);
            result.AddRange(above);
            return result;
        }
        var first = FromDisk(page.Events, 0, Math.Min(limit, page.Events.Count));
        if (first.Count < limit) first.AddRange(_archive.Visible(user, boundary - 1, limit - first.Count, newest: false, conversationOnly));
        return first;
    }

    /// <summary>Events <paramref name="user"/> may see before <paramref name="beforeId"/>, the newest <paramref name="limit"/>, oldest first (scrollback); null as in <see cref="Visible"/>.</summary>
    public List<StoredEvent>? VisibleBefore(ChatUser user, long beforeId, int limit, IReadOnlyList<HistoryPage>? pages, List<HistoryRead> needs)
    {
        if (limit <= 0 || beforeId <= 1) return [];
        var inMemory = _archive.VisibleBefore(user, beforeId, limit);
        var below = Math.Min(beforeId, DiskBelow(conversationOnly: false));
        if (inMemory.Count >= limit || below <= 1) return inMemory;
        var read = new HistoryRead(user, 0, below, limit, Newest: true, ConversationOnly: false);
        if (Find(pages, read, below) is not { } page)
        {
            needs.Add(read);
            return null;
        }
        // The page covers ids below page.BeforeId; memory holds the rest up to beforeId.
        var above = inMemory.FindAll(e => e.Id >= page.Read.BeforeId);
        var fromDisk = Math.Min(page.Events.Count, limit - above.Count);
        var result = FromDisk(page.Events, page.Events.Count - fromDisk, fromDisk);
        result.AddRange(above);
        return result;
    }

    /// <summary>Events read from disk, each in its own envelope: they are not kept, so their frames go with the answer.</summary>
    private static List<StoredEvent> FromDisk(List<ChatEvent> events, int start, int count)
    {
        var stored = new List<StoredEvent>(count);
        for (var i = start; i < start + count; i++) stored.Add(new StoredEvent(events[i]));
        return stored;
    }

    /// <summary>A page read for the same query whose range still meets memory (the archive has not moved past it since).</summary>
    private static HistoryPage? Find(IReadOnlyList<HistoryPage>? pages, HistoryRead wanted, long below)
    {
        if (pages is null) return null;
        foreach (var page in pages)
        {
            var r = page.Read;
            if (r.User == wanted.User && r.AfterId == wanted.AfterId && r.Limit == wanted.Limit && r.Newest == wanted.Newest
                && r.ConversationOnly == wanted.ConversationOnly && r.BeforeId >= below)
                return page;
        }
        return null;
    }

    /// <summary>One event by id as it is on disk (null when it is not): the target of a change older than memory, read by the <see cref="TargetReader"/>.</summary>
    public async Task<ChatEvent?> ReadTargetAsync(long id, CancellationToken cancellationToken)
    {
        var target = await store.FindAsync(id, cancellationToken);
        metrics.HistoryReadFromDisk(target is null ? 0 : 1);
        return target;
    }

    /// <summary>Reads what the loop asked for, on the caller's side of the loop.</summary>
    public async Task<List<HistoryPage>> ReadAsync(IReadOnlyList<HistoryRead> reads, CancellationToken cancellationToken)
    {
        var pages = new List<HistoryPage>(reads.Count);
        foreach (var r in reads)
        {
            var events = await store.VisibleAsync(r.User, r.AfterId, r.BeforeId, r.Limit, r.Newest, r.ConversationOnly, cancellationToken);
            metrics.HistoryReadFromDisk(events.Count);
            pages.Add(new HistoryPage(r, events));
        }
        return pages;
    }
}
