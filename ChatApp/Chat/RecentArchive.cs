namespace ChatApp.Chat;

/// <summary>
/// The newest events in id order, in memory for replay; owned by the room loop. Beside them, the newest conversation
/// kept longer, so that in a room busy with join and part notices a new connection's replay and the page's first paint
/// still come from memory: public talk (messages and files) in one list, private conversation (private messages,
/// files and notices) in another, so that private traffic between others (a flood of profile visits' notices, say)
/// cannot push the public talk out. What the private list let go is remembered per name (the newest id to or from
/// each), so memory still knows when a reader had nothing private there and needs no disk to be sure.
/// </summary>
internal sealed class RecentArchive(int capacity, int talkCapacity)
{
    /// <summary>Names remembered for the private conversation let go; past this many, memory forgets and the disk answers.</summary>
    internal const int MaxNamesRemembered = 65_536;

    /// <summary>
    /// The newest events keep their live frames; older ones let them go (<see cref="StoredEvent.ForgetLiveFrames"/>).
    /// A fan-out is over long before a thousand newer events are stored, and at a full archive of 20,000 plain
    /// messages the live frames were about a third of its memory.
    /// </summary>
    internal const int LiveFramesKept = 1024;

    private readonly List<StoredEvent> _events = new(Math.Min(capacity, 4096));
    private readonly List<StoredEvent> _talk = new(Math.Min(talkCapacity, 4096));
    private readonly List<StoredEvent> _private = new(Math.Min(talkCapacity, 4096));
    private readonly Dictionary<string, long> _privateGone = new(Names.Comparer);

    // Every public talk event with an id from _talkFrom on is held, and every private conversation event from
    // _privateFrom on (0: all there are). For the ids in [_privateKnownFrom, _privateFrom), _privateGone holds each
    // name's newest private conversation id, to or from them.
    private long _talkFrom, _privateFrom, _privateKnownFrom;

    public int Count => _events.Count;

    /// <summary>Id of the oldest event held; 0 when empty.</summary>
    public long FirstId => _events.Count == 0 ? 0 : _events[0].Id;

    /// <summary>True once events have been let go (older ones are only on disk).</summary>
    public bool Trimmed { get; private set; }

    /// <summary>Below this id, conversation events may be on disk only; 0 when memory holds them all.</summary>
    public long ConversationFrom => Math.Max(_talkFrom, _privateFrom);

    /// <summary>Loads the newest events, and the conversation older than them (<see cref="TalkLoad"/>).</summary>
    public void Load(IEnumerable<StoredEvent> events, TalkLoad talk)
    {
        _talk.AddRange(talk.OlderPublic);
        _private.AddRange(talk.OlderPrivate);
        (_talkFrom, _privateFrom, _privateKnownFrom) = (talk.PublicFrom, talk.PrivateFrom, talk.PrivateKnownFrom);
        foreach (var (name, id) in talk.PrivateGone) _privateGone[name] = id;
        foreach (var e in events) Add(e);
    }

    public void Add(StoredEvent e)
    {
        _events.Add(e);
        if (_events.Count > LiveFramesKept) _events[^(LiveFramesKept + 1)].ForgetLiveFrames();
        // Trim in chunks, so the copy happens once per capacity/4 events, not once per event.
        if (_events.Count > capacity + capacity / 4)
        {
            _events.RemoveRange(0, _events.Count - capacity);
            Trimmed = true;
        }
        if (!e.Event.IsConversation) return;
        if (e.Event.To is null) AddTalk(e);
        else AddPrivate(e);
    }

    private void AddTalk(StoredEvent e)
    {
        _talk.Add(e);
        if (_talk.Count <= talkCapacity + talkCapacity / 4) return;
        _talk.RemoveRange(0, _talk.Count - talkCapacity);
        _talkFrom = _talk[0].Id;
        // Below the public talk held, an answer needs the disk whatever memory knows of private conversation.
        if (_privateKnownFrom >= _talkFrom) return;
        _privateKnownFrom = Math.Min(_talkFrom, _privateFrom);
        foreach (var (name, id) in _privateGone)
            if (id < _privateKnownFrom) _privateGone.Remove(name);
    }

    private void AddPrivate(StoredEvent e)
    {
        _private.Add(e);
        if (_private.Count <= talkCapacity + talkCapacity / 4) return;
        var gone = _private.Count - talkCapacity;
        for (var i = 0; i < gone; i++)
        {
            var let = _private[i].Event;
            _privateGone[let.To!] = let.Id;
            if (let.From is { } from) _privateGone[from] = let.Id;
        }
        _private.RemoveRange(0, gone);
        _privateFrom = _private[0].Id;
        if (_privateGone.Count <= MaxNamesRemembered) return;
        _privateGone.Clear(); // forget: what lies below the list is the disk's to tell
        _privateKnownFrom = _privateFrom;
    }

    /// <summary>
    /// True when memory holds every conversation event <paramref name="user"/> may see with an id from
    /// <paramref name="lowest"/> on: the public talk reaches that far, and so does the private list, or what it let go
    /// there was none of the user's.
    /// </summary>
    public bool HoldsConversationFrom(ChatUser user, long lowest)
    {
        if (lowest < _talkFrom) return false;
        if (lowest >= _privateFrom) return true;
        if (lowest < _privateKnownFrom) return false;
        return !_privateGone.TryGetValue(user.Name, out var newest) || newest < lowest;
    }

    /// <summary>The event with <paramref name="id"/>, or null when it is not held (conversation is held longer than the rest).</summary>
    public StoredEvent? Find(long id) => FindIn(_events, id) ?? FindIn(_talk, id) ?? FindIn(_private, id);

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
        ReplaceIn(_private, changed);
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

    /// <summary>
    /// Visible events after <paramref name="afterId"/>: the first <paramref name="limit"/>, or the newest when
    /// <paramref name="newest"/>; with <paramref name="conversationOnly"/>, from the public and private conversation
    /// held (whether that is all of it: <see cref="HoldsConversationFrom"/>).
    /// </summary>
    public List<StoredEvent> Visible(ChatUser user, long afterId, int limit, bool newest, bool conversationOnly = false)
    {
        if (conversationOnly) return VisibleConversation(user, afterId, limit, newest);
        var found = new List<StoredEvent>();
        var start = IndexAfter(_events, afterId);
        if (newest)
        {
            for (var i = _events.Count - 1; i >= start && found.Count < limit; i--)
                if (_events[i].Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(_events[i]);
            found.Reverse();
        }
        else
        {
            for (var i = start; i < _events.Count && found.Count < limit; i++)
                if (_events[i].Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(_events[i]);
        }
        return found;
    }

    /// <summary>The public and private conversation lists merged in id order, as <see cref="Visible"/> reads them.</summary>
    private List<StoredEvent> VisibleConversation(ChatUser user, long afterId, int limit, bool newest)
    {
        var found = new List<StoredEvent>();
        int talkStart = IndexAfter(_talk, afterId), privateStart = IndexAfter(_private, afterId);
        if (newest)
        {
            int t = _talk.Count - 1, p = _private.Count - 1;
            while (found.Count < limit && (t >= talkStart || p >= privateStart))
            {
                var next = p < privateStart || (t >= talkStart && _talk[t].Id > _private[p].Id) ? _talk[t--] : _private[p--];
                if (next.Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(next);
            }
            found.Reverse();
        }
        else
        {
            int t = talkStart, p = privateStart;
            while (found.Count < limit && (t < _talk.Count || p < _private.Count))
            {
                var next = p >= _private.Count || (t < _talk.Count && _talk[t].Id < _private[p].Id) ? _talk[t++] : _private[p++];
                if (next.Event is { IsSuperseded: false } e && e.IsVisibleTo(user)) found.Add(next);
            }
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

/// <summary>
/// The conversation older than the newest events, loaded with them at start: the newest public talk (oldest first)
/// and every public talk event from <see cref="PublicFrom"/> on; the newest private conversation, every one from
/// <see cref="PrivateFrom"/> on, and for the ids from <see cref="PrivateKnownFrom"/> to there each name's newest.
/// </summary>
internal sealed record TalkLoad(
    List<StoredEvent> OlderPublic, long PublicFrom,
    List<StoredEvent> OlderPrivate, long PrivateFrom, long PrivateKnownFrom, IReadOnlyDictionary<string, long> PrivateGone)
{
    /// <summary>Nothing older: the newest events are all there are.</summary>
    public static TalkLoad None { get; } = new([], 0, [], 0, 0, new Dictionary<string, long>());
}
