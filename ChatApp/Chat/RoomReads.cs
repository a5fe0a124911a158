namespace ChatApp.Chat;

/// <summary>
/// The room's reads of its history, answered on the loop from memory: a joining connection's replay, a STOMP catch-up,
/// long polls, scrollback and the page's first paint. When part of an answer is on disk only, it comes back as what to
/// read instead (<see cref="HistoryAnswer{T}.Needs"/>), for the caller to read off the loop and ask again.
/// </summary>
internal sealed class RoomReads(RoomHistory history, ChatOptions options, IRoomPresence presence)
{
    private static readonly object Done = new();

    /// <summary>The newest id <paramref name="user"/> may see and their replay on joining; both null when <paramref name="needs"/> has something to read.</summary>
    public (long? LastId, List<StoredEvent>? Replay) ForJoin(ChatUser user, long? since, IReadOnlyList<HistoryPage>? pages, List<HistoryRead> needs, out bool truncated)
    {
        var lastId = history.LastVisibleId(user, pages, needs);
        var replay = ReplayFor(user, since, pages, needs, out truncated);
        return (lastId, replay);
    }

    /// <summary>
    /// A joining connection's replay; a since replay asks for one more than it may send, to know whether it was cut short.
    /// Null when part of it is on disk only (<paramref name="needs"/> says what to read).
    /// </summary>
    private List<StoredEvent>? ReplayFor(ChatUser user, long? since, IReadOnlyList<HistoryPage>? pages, List<HistoryRead> needs, out bool truncated)
    {
        truncated = false;
        if (since is not { } after) return history.Visible(user, 0, options.ReplayCount, newest: true, conversationOnly: true, pages, needs);
        var replay = history.Visible(user, after, options.MaxReplay + 1, newest: true, conversationOnly: false, pages, needs);
        if (replay is not null && replay.Count > options.MaxReplay)
        {
            replay.RemoveAt(0);
            truncated = true;
        }
        return replay;
    }

    public HistoryAnswer<object> CatchUp(RoomCommand.CatchUp catchUp)
    {
        List<StoredEvent> replay = [];
        var truncated = false;
        if (catchUp.Since is { } after)
        {
            var needs = new List<HistoryRead>();
            // One more than the cap tells whether the replay is the whole of what follows since.
            if (history.Visible(catchUp.User, after, options.MaxReplay + 1, newest: true, conversationOnly: false, catchUp.Pages, needs) is not { } found)
                return new(null, needs);
            replay = found;
            truncated = replay.Count > options.MaxReplay;
            if (truncated) replay.RemoveAt(0);
        }
        catchUp.OnLoop(new RoomCatchUp(replay, replay.Count > 0 ? replay[^1].Id : catchUp.Since ?? 0, truncated, presence.SortedNames));
        return new(Done, null);
    }

    public HistoryAnswer<IReadOnlyList<ChatEvent>> Read(RoomCommand.Read read)
    {
        var needs = new List<HistoryRead>();
        var events = history.Visible(read.User, read.Since, read.Limit, newest: false, conversationOnly: false, read.Pages, needs);
        return events is null ? new(null, needs) : new(Events(events), null);
    }

    public HistoryAnswer<IReadOnlyList<ChatEvent>> ReadBefore(RoomCommand.ReadBefore before)
    {
        var needs = new List<HistoryRead>();
        var events = history.VisibleBefore(before.User, before.BeforeId, before.Limit, before.Pages, needs);
        return events is null ? new(null, needs) : new(Events(events), null);
    }

    public HistoryAnswer<RecentTalk> RecentTalk(RoomCommand.ReadRecentTalk recent)
    {
        var needs = new List<HistoryRead>();
        var talk = history.Visible(recent.User, 0, options.ReplayCount, newest: true, conversationOnly: true, recent.Pages, needs);
        var lastId = history.LastVisibleId(recent.User, recent.Pages, needs);
        return needs.Count > 0 ? new(null, needs) : new(new RecentTalk(Events(talk!), lastId!.Value), null);
    }

    /// <summary>The events of an answer that goes out of the room as data (HTTP, the page), not as frames.</summary>
    private static List<ChatEvent> Events(List<StoredEvent> stored) => stored.ConvertAll(s => s.Event);
}
