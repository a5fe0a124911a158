namespace ChatApp.Chat;

/// <summary>The newest events in id order, in memory for replay; owned by the room loop.</summary>
internal sealed class RecentArchive(int capacity)
{
    private readonly List<ChatEvent> _events = new(Math.Min(capacity, 4096));

    public int Count => _events.Count;

    /// <summary>Id of the oldest event held; 0 when empty.</summary>
    public long FirstId => _events.Count == 0 ? 0 : _events[0].Id;

    public void Load(IEnumerable<ChatEvent> events) => _events.AddRange(events);

    public void Add(ChatEvent e)
    {
        _events.Add(e);
        // Trim in chunks, so the copy happens once per capacity/4 events, not once per event.
        if (_events.Count > capacity + capacity / 4) _events.RemoveRange(0, _events.Count - capacity);
    }

    /// <summary>Index of the first event with id greater than <paramref name="id"/>.</summary>
    private int IndexAfter(long id)
    {
        int lo = 0, hi = _events.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_events[mid].Id <= id) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Visible events after <paramref name="afterId"/>: the first <paramref name="limit"/>, or the newest when <paramref name="newest"/>.</summary>
    public List<ChatEvent> Visible(ChatUser user, long afterId, int limit, bool newest, bool conversationOnly = false)
    {
        var found = new List<ChatEvent>();
        var start = IndexAfter(afterId);
        if (newest)
        {
            for (var i = _events.Count - 1; i >= start && found.Count < limit; i--)
                if (Matches(_events[i], user, conversationOnly)) found.Add(_events[i]);
            found.Reverse();
        }
        else
        {
            for (var i = start; i < _events.Count && found.Count < limit; i++)
                if (Matches(_events[i], user, conversationOnly)) found.Add(_events[i]);
        }
        return found;
    }

    /// <summary>Visible events before <paramref name="beforeId"/>, the newest <paramref name="limit"/>, oldest first.</summary>
    public List<ChatEvent> VisibleBefore(ChatUser user, long beforeId, int limit)
    {
        var found = new List<ChatEvent>();
        for (var i = IndexAfter(beforeId - 1) - 1; i >= 0 && found.Count < limit; i--)
            if (_events[i].IsVisibleTo(user)) found.Add(_events[i]);
        found.Reverse();
        return found;
    }

    /// <summary>Id of the newest event <paramref name="user"/> may see, or 0.</summary>
    public long LastVisibleId(ChatUser user)
    {
        for (var i = _events.Count - 1; i >= 0; i--)
            if (_events[i].IsVisibleTo(user)) return _events[i].Id;
        return 0;
    }

    private static bool Matches(ChatEvent e, ChatUser user, bool conversationOnly) =>
        (!conversationOnly || e.IsConversation) && e.IsVisibleTo(user);
}
