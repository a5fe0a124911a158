namespace ChatApp.Chat;

/// <summary>What the rest of the server asks of the room; the room's loop handles them one at a time, in order.</summary>
internal abstract record RoomCommand
{
    /// <summary>
    /// A connection opens: welcome, replay (all visible after <paramref name="Since"/>, or the recent talk), replayed, roster, then
    /// live events. When part of the replay is on disk only, nothing is sent and the reply says what to read; the caller reads
    /// it and joins again with the <paramref name="Pages"/>.
    /// </summary>
    /// <summary>The first command at start-up: the users online when the process last ended (<see cref="IRoomPresence.Resume"/>).</summary>
    public sealed record Resume(IReadOnlyList<string> Names) : RoomCommand;

    public sealed record Join(RoomSubscriber Subscriber, long? Since, IReadOnlyList<HistoryPage>? Pages, TaskCompletionSource<HistoryAnswer<object>> Reply) : RoomCommand;

    public sealed record Leave(RoomSubscriber Subscriber) : RoomCommand;

    /// <summary>A new event, edit or deletion; an edit or deletion of an event older than memory comes back with its target read <paramref name="OnDisk"/>, off the loop.</summary>
    public sealed record Post(ChatUser User, PostDraft Draft, RoomSubscriber? Origin, TaskCompletionSource<PostResult>? Reply, TargetRead? OnDisk = null) : RoomCommand;

    /// <summary>The writer's answer for a batch of new events: committed (<paramref name="Ok"/>), or given up on.</summary>
    public sealed record Stored(List<ChatEvent> Events, bool Ok) : RoomCommand;

    /// <summary>The log refused the event appended with <paramref name="Ticket"/> (rate limited, or it cannot store now).</summary>
    public sealed record Refused(long Ticket, ChatError Error) : RoomCommand;

    /// <summary>The event appended with <paramref name="Ticket"/> repeated a clientId the log had stored as <paramref name="Id"/>.</summary>
    public sealed record Repeated(long Ticket, long Id, ChatEvent? Event) : RoomCommand;

    public sealed record VisitProfile(string Owner, string Ip, TaskCompletionSource<ChatEvent?> Reply) : RoomCommand;

    /// <summary>Visible events after <paramref name="Since"/>, oldest first; when there are none and <paramref name="Waiter"/> is given, it is subscribed in the same step, so nothing slips between.</summary>
    public sealed record Read(ChatUser User, long Since, int Limit, RoomSubscriber? Waiter, IReadOnlyList<HistoryPage>? Pages, TaskCompletionSource<HistoryAnswer<IReadOnlyList<ChatEvent>>> Reply) : RoomCommand;

    /// <summary>Visible events before <paramref name="BeforeId"/>, the newest <paramref name="Limit"/>, oldest first: scrollback.</summary>
    public sealed record ReadBefore(ChatUser User, long BeforeId, int Limit, IReadOnlyList<HistoryPage>? Pages, TaskCompletionSource<HistoryAnswer<IReadOnlyList<ChatEvent>>> Reply) : RoomCommand;

    public sealed record Heartbeat : RoomCommand;

    /// <summary>A user's presence grace ran out (<see cref="PresenceGrace"/>); <paramref name="Ticket"/> tells a stale timer from the current one.</summary>
    public sealed record GraceEnded(string Name, long Ticket) : RoomCommand;

    /// <summary>The newest visible talk and the newest visible id, read in one step so that a page can go on from exactly there.</summary>
    public sealed record ReadRecentTalk(ChatUser User, IReadOnlyList<HistoryPage>? Pages, TaskCompletionSource<HistoryAnswer<RecentTalk>> Reply) : RoomCommand;

    /// <summary>For a subscriber already in the room: the visible events after <paramref name="Since"/> (none when null) and the roster, handed to <paramref name="OnLoop"/> on the loop, so no live event slips before or between them.</summary>
    public sealed record CatchUp(ChatUser User, long? Since, Action<RoomCatchUp> OnLoop, IReadOnlyList<HistoryPage>? Pages, TaskCompletionSource<HistoryAnswer<object>> Reply) : RoomCommand;

    public sealed record GetRoster(TaskCompletionSource<IReadOnlyList<string>> Reply) : RoomCommand;

    public sealed record GetLastId(TaskCompletionSource<long> Reply) : RoomCommand;
}

/// <summary>The loop's answer to a command that reads history: the value, or (when memory does not reach) what to read from disk first.</summary>
internal readonly record struct HistoryAnswer<T>(T? Value, List<HistoryRead>? Needs) where T : class;
