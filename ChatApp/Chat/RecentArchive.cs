namespace ChatApp.Chat;

/// <summary>
/// The newest events in id order, in memory for replay; owned by the room loop. Beside them, the newest
/// conversation events (talk and private notices) on their own, kept longer: in a room busy with join and
/// part notices, a new connection's replay and the page's first paint still come from memory.
/// </summary>
internal sealed class RecentArchive(int capacity, int talkCapacity)
{
    private readonly List<StoredEvent> _events = new(Math.Min(capacity, 4096));
    private readonly List<StoredEvent> _talk = new(Math.Min(talkCapacity, 4096));

    public int Count => _events.Count;

    /// <summary>Id of the oldest event held; 0 when empty.</summary>
    public long FirstId => _events.Count == 0 ? 0 : _events[0].Id;

    /// <summary>Id of the oldest conversation event held; 0 when none.</summary>
    public long FirstTalkId => _talk.Count == 0 ? 0 : _talk[0].Id;

    /// <summary>True once events have been let go (older ones are only on disk).</summary>
    public bool Trimmed { get; private set; }

    /// <summary>True once conversation events have been let go (older ones are only on disk).</summary>
    public bool TalkTrimmed { get; private set; }

    /// <summary>Loads the newest events, and the conversation events older than them (both oldest first).</summary>
    public void Load(IEnumerable<StoredEvent> events, IEnumerable<StoredEvent> olderTalk)
    {
        _talk.AddRange(olderTalk);
        foreach (var e in events) Add(e);
    }

    public void Add(StoredEvent e)
    {
        _events.Add(e);
        // Trim in chunks, so the copy happens once per capacity/4 events, not once per event.
        if (_events.Count > capacity + capacity / 4)
        {
            _events.RemoveRange(0, _events.Count - capacity);
            Trimmed = true;
        }
        if (!e.Event.IsConversation) return;
        _talk.Add(e);
        if (_talk.Count <= talkCapacity + talkCapacity / 4) return;
        _talk.RemoveRange(0, _talk.Count - talkCapacity);
        TalkTrimmed = true;
    }

    /// <summary>The event with <paramref name="id"/>, or null when it is not held (talk is held longer than the rest).</summary>
    public StoredEvent? Find(long id) => FindIn(_events, id) ?? FindIn(_talk, id);

    private static StoredEvent? FindIn(List<StoredEvent> events, long id)
    {
        var at = IndexAfter(events, id - 1);
        return at < events.Count && events[at].Id == id ? events[at] : null;
    }

    /// <summary>Puts a changed event (edited, deleted) in the place of the one with its id, wherever it is held.</summary>
    public void Replace(StoredEvent changed)
    {
        ReplaceIn(_events, changed);
        ReplaceIn(_talk, changed);
    }

    private static void ReplaceIn(List<StoredEvent> events, StoredEvent changed)
    {
        var at = IndexAfter(events, changed.Id - 1);
        if (at < events.Count && events[at].Id == changed.Id) events[at] = changed;
    }

    /// <summary>The edits of message <paramref name="target"/> held (they follow it).</summary>
    public IEnumerable<ChatEvent> EditsOf(long target)
    {
        for (var i = IndexAfter(_events, target); i < _events.Count; i++)
            if (_events[i].Event is { Kind: ChatEventKind.Edit } e && e.Target == target) yield return e;
    }

    /// <summary>Index of the first event with id greater than <paramref name="id"/>.</summary>
    private static int IndexAfter(List<StoredEvent> events, long id)
    {
        int lo = 0, hi = events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (events[mid].Id <= id) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Visible events after <paramref name="afterId"/>: the first <paramref name="limit"/>, or the newest when <paramref name="newest"/>.</summary>
    public List<StoredEvent> Visible(ChatUser user, long afterId, int limit, bool newest, bool conversationOnly = false)
    {
        var events = conversationOnly ? _talk : _events;
        var found = new List<StoredEvent>();
        var start = IndexAfter(events, afterId);
        if (newest)
        {
            for (var i = events.Count - 1; i >= start && found.Count < limit; i--)
                if (events[i].Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(events[i]);
            found.Reverse();
        }
        else
        {
            for (var i = start; i < events.Count && found.Count < limit; i++)
                if (events[i].Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(events[i]);
        }
        return found;
    }

    /// <summary>Visible events before <paramref name="beforeId"/>, the newest <paramref name="limit"/>, oldest first.</summary>
    public List<StoredEvent> VisibleBefore(ChatUser user, long beforeId, int limit)
    {
        var found = new List<StoredEvent>();
        for (var i = IndexAfter(_events, beforeId - 1) - 1; i >= 0 && found.Count < limit; i--)
            if (_events[i].Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(_events[i]);
        found.Reverse();
        return found;
    }

    /// <summary>Id of the newest event <paramref name="user"/> may see, or 0.</summary>
    public long LastVisibleId(ChatUser user)
    {
        for (var i = _events.Count - 1; i >= 0; i--)
            if (_events[i].Event.IsVisibleTo(user)) return _events[i].Id;
        return 0;
    }
}
