using System.Threading.Channels;
using ChatApp.Diagnostics;
using ChatApp.Storage;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// The chat room as an actor: one loop, fed by a channel, owns the subscribers, the roster, the id
/// sequence and the recent archive; nothing else touches them. It never waits on a subscriber (they
/// only queue) nor on storage: a new event goes to the <see cref="IRoomLog"/> (this process's SQLite, or Redis
/// shared by several nodes), which numbers and stores it and hands it back as <see cref="RoomCommand.Stored"/>;
/// only then is it archived and delivered (PROTOCOL.md §2: an echo means the event survives a kill). Who is
/// online is the <see cref="IRoomPresence"/>'s. A fault in one subscriber is logged and costs nobody else an event.
/// </summary>
public sealed class ChatRoom : BackgroundService
{
    private const int CommandQueueLength = 65_536;
    private const int RememberedClientIds = 100_000;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);
    // Conversation kept in memory beyond the archive: enough default replays that join/part notices never push talk onto the disk.
    private const int TalkPerReplay = 40;
    private const int MinTalkArchive = 2_000;
    private static readonly object Joined = new();

    private readonly Channel<RoomCommand> _commands = Channel.CreateBounded<RoomCommand>(
        new BoundedChannelOptions(CommandQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ChatOptions _options;
    private readonly IRoomLog _eventLog;
    private readonly TimeProvider _clock;
    private readonly ILogger<ChatRoom> _log;
    private readonly ChatMetrics _metrics;

    private readonly List<RoomSubscriber> _subscribers = [];
    private readonly Dictionary<string, List<RoomSubscriber>> _subscribersByUser = new(Names.Comparer);
    private readonly IRoomPresence _presence;
    private readonly PresenceGrace _grace;
    private readonly RoomHistory _history;
    private readonly ClientIdIndex _clientIds = new(RememberedClientIds);
    private readonly PendingEvents _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _nextTicket;

    // Edits and deletions on their way to the log: their targets (by the change's ticket), and the targets being deleted.
    private readonly Dictionary<long, ChatEvent> _changeTargets = [];
    private readonly HashSet<long> _deleting = [];

    public ChatRoom(IOptions<ChatOptions> options, EventStore store, IRoomLog eventLog, IRoomPresence presence, TimeProvider clock, ChatMetrics metrics, ILogger<ChatRoom> log)
    {
        _metrics = metrics;
        _options = options.Value;
        _eventLog = eventLog;
        _presence = presence;
        _clock = clock;
        _log = log;
        _history = new RoomHistory(Math.Max(_options.ArchiveCapacity, _options.MaxReplay), Math.Max(_options.ReplayCount * TalkPerReplay, MinTalkArchive), store, metrics);
        _grace = new PresenceGrace(TimeSpan.FromSeconds(_options.PresenceGraceSeconds), clock,
            (name, ticket) => _ = _commands.Writer.WriteAsync(new RoomCommand.GraceEnded(name, ticket)).AsTask());
    }

    /// <summary>Called (on the room's loop) with the key of a shared file whose deletion was stored: its bytes are to go.</summary>
    public Action<string>? FileDeleted { get; set; }

    /// <summary>Id of the newest event numbered or applied (stored or on its way); ids keep growing across restarts.</summary>
    public long LastId => _eventLog.LastId;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var recent = _history.Load();
        foreach (var e in recent) _clientIds.Add(e);
        var inbox = new RoomInbox(_commands.Writer, () => _stopping.Token);
        await _eventLog.StartAsync(recent.Count > 0 ? recent[^1].Id : 0, inbox, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    // ---- the room's surface: every call becomes a command for the loop

    /// <summary>Joins once the room has queued welcome, the replay, replayed and roster; history older than memory is read here, off the loop.</summary>
    public Task JoinAsync(RoomSubscriber subscriber, long? since, CancellationToken cancellationToken = default) =>
        AskAsync<object>((pages, reply) => new RoomCommand.Join(subscriber, since, pages, reply), cancellationToken);

    public ValueTask LeaveAsync(RoomSubscriber subscriber) =>
        _commands.Writer.WriteAsync(new RoomCommand.Leave(subscriber));

    /// <summary>Posts for a connection without waiting: once stored, the echo (or else the refusal) goes to <paramref name="origin"/>.</summary>
    public ValueTask Post(ChatUser user, PostDraft draft, RoomSubscriber origin) =>
        _commands.Writer.WriteAsync(new RoomCommand.Post(user, draft, origin, null));

    /// <summary>Posts and waits until the event is stored (or refused): HTTP answers, STOMP receipts, kept files.</summary>
    public async Task<PostResult> PostAndWaitAsync(ChatUser user, PostDraft draft, RoomSubscriber? origin = null, CancellationToken cancellationToken = default)
    {
        var reply = NewReply<PostResult>();
        await _commands.Writer.WriteAsync(new RoomCommand.Post(user, draft, origin, reply), cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Tells <paramref name="owner"/> that someone from <paramref name="ip"/> looked at their profile (repeats are coalesced by the caller).</summary>
    public async Task<ChatEvent?> VisitProfileAsync(string owner, string ip, CancellationToken cancellationToken = default)
    {
        var reply = NewReply<ChatEvent?>();
        await _commands.Writer.WriteAsync(new RoomCommand.VisitProfile(owner, ip, reply), cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Events <paramref name="user"/> may see after <paramref name="since"/>, the first <paramref name="limit"/>; when there are none, <paramref name="waiter"/> (if any) is subscribed for the next one.</summary>
    public Task<IReadOnlyList<ChatEvent>> ReadAsync(ChatUser user, long since, int limit, RoomSubscriber? waiter = null, CancellationToken cancellationToken = default) =>
        AskAsync<IReadOnlyList<ChatEvent>>((pages, reply) => new RoomCommand.Read(user, since, limit, waiter, pages, reply), cancellationToken);

    /// <summary>Events <paramref name="user"/> may see before <paramref name="beforeId"/>, the newest <paramref name="limit"/> of them, oldest first (scrollback).</summary>
    public Task<IReadOnlyList<ChatEvent>> ReadBeforeAsync(ChatUser user, long beforeId, int limit, CancellationToken cancellationToken = default) =>
        AskAsync<IReadOnlyList<ChatEvent>>((pages, reply) => new RoomCommand.ReadBefore(user, beforeId, limit, pages, reply), cancellationToken);

    /// <summary>The newest talk <paramref name="user"/> may see (Chat:ReplayCount) and the newest id they may see: the chat page's first paint.</summary>
    public Task<RecentTalk> RecentTalkAsync(ChatUser user, CancellationToken cancellationToken = default) =>
        AskAsync<RecentTalk>((pages, reply) => new RoomCommand.ReadRecentTalk(user, pages, reply), cancellationToken);

    /// <summary>
    /// Replay after <paramref name="since"/> (if given) and the roster for a subscriber that is already in the room
    /// (a STOMP <c>SUBSCRIBE /topic/chat</c> after <c>CONNECT</c>). <paramref name="onLoop"/> runs on the room's loop
    /// and must only queue; live events delivered after it come after what it queued.
    /// </summary>
    public Task CatchUpAsync(ChatUser user, long? since, Action<RoomCatchUp> onLoop, CancellationToken cancellationToken = default) =>
        AskAsync<object>((pages, reply) => new RoomCommand.CatchUp(user, since, onLoop, pages, reply), cancellationToken);

    public async Task<IReadOnlyList<string>> RosterAsync(CancellationToken cancellationToken = default)
    {
        var reply = NewReply<IReadOnlyList<string>>();
        await _commands.Writer.WriteAsync(new RoomCommand.GetRoster(reply), cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The newest event's id, asked of the loop (a re-claimed name's new owner sees nothing at or below it).</summary>
    public async Task<long> LastIdAsync(CancellationToken cancellationToken = default)
    {
        var reply = NewReply<long>();
        await _commands.Writer.WriteAsync(new RoomCommand.GetLastId(reply), cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource<T> NewReply<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Asks the loop; when it answers that part of the history is on disk only, reads that here (the caller's side,
    /// never the loop's) and asks again with the pages read. The loop then adds what it holds, so nothing is missed between.
    /// </summary>
    private async Task<T> AskAsync<T>(Func<IReadOnlyList<HistoryPage>?, TaskCompletionSource<HistoryAnswer<T>>, RoomCommand> command, CancellationToken cancellationToken)
        where T : class
    {
        IReadOnlyList<HistoryPage>? pages = null;
        while (true)
        {
            var reply = NewReply<HistoryAnswer<T>>();
            await _commands.Writer.WriteAsync(command(pages, reply), cancellationToken);
            var answer = await reply.Task.WaitAsync(cancellationToken);
            if (answer.Needs is not { } needs) return answer.Value!;
            pages = await _history.ReadAsync(needs, cancellationToken);
        }
    }

    // ---- the loop

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var commands = _commands.Reader;
        _ = BeatAsync(stoppingToken);
        try
        {
            while (await commands.WaitToReadAsync(stoppingToken))
                while (commands.TryRead(out var command))
                {
                    try { Handle(command); }
                    catch (Exception ex) { _log.LogError(ex, "The room failed to handle {Command}", command.GetType().Name); Fail(command, ex); }
                }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally { _grace.Dispose(); }
    }

    /// <summary>One timer for the whole room, instead of one per connection.</summary>
    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await _commands.Writer.WriteAsync(new RoomCommand.Heartbeat(), stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    private void Handle(RoomCommand command)
    {
        switch (command)
        {
            case RoomCommand.Join join: join.Reply.TrySetResult(Join(join)); break;
            case RoomCommand.Leave leave: Leave(leave.Subscriber); break;
            case RoomCommand.GraceEnded ended:
                if (_grace.Expire(ended.Name, ended.Ticket)) Part(ended.Name);
                break;
            case RoomCommand.Post post: Post(post); break;
            case RoomCommand.Stored stored: Stored(stored.Events, stored.Ok); break;
            case RoomCommand.Refused refused: Refused(refused.Ticket, refused.Error); break;
            case RoomCommand.Repeated repeated: Repeated(repeated); break;
            case RoomCommand.VisitProfile visit: VisitProfile(visit); break;
            case RoomCommand.Read read: read.Reply.TrySetResult(Read(read)); break;
            case RoomCommand.ReadBefore before: before.Reply.TrySetResult(ReadBefore(before)); break;
            case RoomCommand.Heartbeat:
                foreach (var s in _subscribers)
                {
                    try { s.Heartbeat(); }
                    catch (Exception ex) { LogFault(ex, s, "heartbeat"); }
                }
                break;
            case RoomCommand.CatchUp catchUp: catchUp.Reply.TrySetResult(CatchUp(catchUp)); break;
            case RoomCommand.GetRoster roster: roster.Reply.TrySetResult(_presence.SortedNames.ToArray()); break;
            case RoomCommand.GetLastId last: last.Reply.TrySetResult(_eventLog.LastId); break;
            case RoomCommand.ReadRecentTalk recent: recent.Reply.TrySetResult(RecentTalk(recent)); break;
        }
    }

    private static void Fail(RoomCommand command, Exception ex)
    {
        switch (command)
        {
            case RoomCommand.Join j: j.Reply.TrySetException(ex); break;
            case RoomCommand.CatchUp c: c.Reply.TrySetException(ex); break;
            case RoomCommand.Post p: p.Reply?.TrySetException(ex); break;
            case RoomCommand.VisitProfile v: v.Reply.TrySetException(ex); break;
            case RoomCommand.Read r: r.Reply.TrySetException(ex); break;
            case RoomCommand.ReadBefore b: b.Reply.TrySetException(ex); break;
            case RoomCommand.GetRoster g: g.Reply.TrySetException(ex); break;
            case RoomCommand.GetLastId l: l.Reply.TrySetException(ex); break;
            case RoomCommand.ReadRecentTalk t: t.Reply.TrySetException(ex); break;
        }
    }

    private HistoryAnswer<object> Join(RoomCommand.Join join)
    {
        var (subscriber, since, pages, _) = join;
        var user = subscriber.User;
        if (subscriber.WantsHistory)
        {
            var needs = new List<HistoryRead>();
            var lastId = _history.LastVisibleId(user, pages, needs);
            var replay = ReplayFor(user, since, pages, needs, out var truncated);
            if (needs.Count > 0) return new(null, needs); // nothing sent, not subscribed: the caller reads and joins again
            try { Replay(subscriber, lastId!.Value, replay!, since, truncated); }
            catch (Exception ex) { LogFault(ex, subscriber, "replay"); }
        }
        Subscribe(subscriber);
        var first = subscriber.IsPresence && _presence.Add(subscriber);
        if (subscriber.IsPresence) _grace.Cancel(user.Name); // back within the grace: no part was sent, so no join either
        if (first) _metrics.UsersOnline(_presence.SortedNames.Count);
        if (subscriber.WantsHistory)
        {
            try { subscriber.Roster(_presence.SortedNames); }
            catch (Exception ex) { LogFault(ex, subscriber, "roster"); }
        }
        if (first) Publish(SystemNotice("join", user.Name, $"{user.Name} joined"));
        return new(Joined, null);
    }

    /// <summary>
    /// A joining connection's replay; a since replay asks for one more than it may send, to know whether it was cut short.
    /// Null when part of it is on disk only (<paramref name="needs"/> says what to read).
    /// </summary>
    private List<ChatEvent>? ReplayFor(ChatUser user, long? since, IReadOnlyList<HistoryPage>? pages, List<HistoryRead> needs, out bool truncated)
    {
        truncated = false;
        if (since is not { } after) return _history.Visible(user, 0, _options.ReplayCount, newest: true, conversationOnly: true, pages, needs);
        var replay = _history.Visible(user, after, _options.MaxReplay + 1, newest: true, conversationOnly: false, pages, needs);
        if (replay is not null && replay.Count > _options.MaxReplay)
        {
            replay.RemoveAt(0);
            truncated = true;
        }
        return replay;
    }

    /// <summary>Welcome, the replay and replayed.</summary>
    private static void Replay(RoomSubscriber subscriber, long lastId, List<ChatEvent> replay, long? since, bool truncated)
    {
        subscriber.Welcome(lastId);
        foreach (var e in replay) subscriber.Replay(e);
        subscriber.Replayed(replay.Count, replay.Count > 0 ? replay[^1].Id : since ?? 0, truncated);
    }

    private HistoryAnswer<object> CatchUp(RoomCommand.CatchUp catchUp)
    {
        List<ChatEvent> replay = [];
        var truncated = false;
        if (catchUp.Since is { } after)
        {
            var needs = new List<HistoryRead>();
            // One more than the cap tells whether the replay is the whole of what follows since.
            if (_history.Visible(catchUp.User, after, _options.MaxReplay + 1, newest: true, conversationOnly: false, catchUp.Pages, needs) is not { } found)
                return new(null, needs);
            replay = found;
            truncated = replay.Count > _options.MaxReplay;
            if (truncated) replay.RemoveAt(0);
        }
        catchUp.OnLoop(new RoomCatchUp(replay, replay.Count > 0 ? replay[^1].Id : catchUp.Since ?? 0, truncated, _presence.SortedNames));
        return new(Joined, null);
    }

    private void Subscribe(RoomSubscriber subscriber)
    {
        _subscribers.Add(subscriber);
        if (!_subscribersByUser.TryGetValue(subscriber.User.Name, out var mine)) _subscribersByUser[subscriber.User.Name] = mine = [];
        mine.Add(subscriber);
    }

    private void Leave(RoomSubscriber subscriber)
    {
        if (!_subscribers.Remove(subscriber)) return; // already gone
        var name = subscriber.User.Name;
        if (_subscribersByUser.TryGetValue(name, out var mine) && mine.Remove(subscriber) && mine.Count == 0)
            _subscribersByUser.Remove(name);
        if (subscriber.IsPresence && _presence.Remove(subscriber) && !_grace.Begin(name)) Part(name);
    }

    /// <summary>The user's last connection closed and no other came within the grace: they leave everyone's list.</summary>
    private void Part(string name)
    {
        if (!_presence.Drop(name)) return;
        _metrics.UsersOnline(_presence.SortedNames.Count);
        Publish(SystemNotice("part", name, $"{name} left"));
    }

    private void Post(RoomCommand.Post post)
    {
        var (user, draft, origin, reply) = post;
        if (draft.ClientId is not null)
        {
            if (_clientIds.Find(user.Name, draft.ClientId) is { } stored)
            {
                Echo(origin, stored);
                reply?.TrySetResult(new PostResult(stored, null, Duplicate: true));
                return;
            }
            // The first send of this clientId is still being stored: this one is answered with it.
            if (_pending.FindClientId(user.Name, draft.ClientId) is { } waiting)
            {
                waiting.AddRepeat(origin, reply);
                return;
            }
        }
        ChatEvent? target = null;
        if (draft.Kind is ChatEventKind.Edit or ChatEventKind.Delete)
        {
            (target, var refusal) = ChangeTarget(user, draft);
            if (refusal is not null)
            {
                Refuse(origin, refusal, draft.ClientId);
                reply?.TrySetResult(new PostResult(null, refusal));
                return;
            }
        }
        var e = new ChatEvent
        {
            Ts = _clock.GetUtcNow().UtcDateTime,
            Kind = draft.Kind,
            From = user.Name,
            To = target is null ? draft.To : target.To, // a change reaches exactly those who may see its target
            Target = target?.Id,
            Mentions = draft.Mentions,
            Text = draft.Text,
            Html = draft.Html,
            ClientId = draft.ClientId,
            FileName = draft.FileName,
            ContentType = draft.ContentType,
            FileSize = draft.FileSize,
            FileKey = draft.FileKey,
        };
        var ticket = ++_nextTicket;
        if (_eventLog.Append(e, ticket, limited: true) is { } refused)
        {
            Refuse(origin, refused, draft.ClientId);
            reply?.TrySetResult(new PostResult(null, refused));
            return;
        }
        if (target is not null)
        {
            _changeTargets[ticket] = target;
            if (e.Kind == ChatEventKind.Delete) _deleting.Add(target.Id);
        }
        _pending.Add(ticket, e, origin, reply);
    }

    /// <summary>The message or file an edit or deletion may change (PROTOCOL.md §2.4), or the refusal.</summary>
    private (ChatEvent? Target, ChatError? Error) ChangeTarget(ChatUser user, PostDraft draft)
    {
        var target = draft.Target is { } id ? _history.Find(id) : null;
        // A deletion still being stored counts already: nothing may change the message after it.
        if (target is null || !target.IsVisibleTo(user) || target.IsChange || target.Deleted || _deleting.Contains(target.Id))
            return (null, ChatError.NotFound);
        if (target.Kind == ChatEventKind.System || target.From is null || !Names.Equal(target.From, user.Name)) return (null, ChatError.NotYours);
        if (draft.Kind == ChatEventKind.Edit && target.Kind != ChatEventKind.Message) return (null, ChatError.NotEditable);
        return (target, null);
    }

    /// <summary>
    /// An edit or deletion came back from the log (sent here, or on another node when scaled out): once committed, its
    /// target takes its new state in memory and a deleted file's bytes go.
    /// </summary>
    private void ApplyChange(ChatEvent change, bool committed)
    {
        var accepted = ForgetChange(change.Ticket);
        if (!committed || change.Target is not { } targetId) return;
        // The target as it is now (an edit may have come between), else as it was when the change was accepted.
        var current = _history.Find(targetId) ?? accepted;
        if (current is null || current.Deleted) return;
        _history.Apply(change, current);
        if (change.Kind == ChatEventKind.Delete && current.FileKey is { } fileKey) FileDeleted?.Invoke(fileKey);
    }

    /// <summary>Drops what the room remembered of a change it appended with <paramref name="ticket"/>; returns its target as accepted.</summary>
    private ChatEvent? ForgetChange(long ticket)
    {
        if (ticket == 0 || !_changeTargets.Remove(ticket, out var target)) return null;
        _deleting.Remove(target.Id);
        return target;
    }

    /// <summary>Answered once the notice is stored (or with null: not stored). Repeat visits are coalesced before (Profiles/ProfileVisitThrottle).</summary>
    private void VisitProfile(RoomCommand.VisitProfile visit)
    {
        var (owner, ip, reply) = visit;
        var notice = SystemNotice("profile", owner, $"{owner}, someone from {ip} checked out your profile", to: owner, ip: ip);
        var ticket = ++_nextTicket;
        _pending.Add(ticket, notice, origin: null, reply: null, noticeReply: reply);
        _eventLog.Append(notice, ticket, limited: false);
    }

    private HistoryAnswer<IReadOnlyList<ChatEvent>> Read(RoomCommand.Read read)
    {
        var needs = new List<HistoryRead>();
        var events = _history.Visible(read.User, read.Since, read.Limit, newest: false, conversationOnly: false, read.Pages, needs);
        if (events is null) return new(null, needs);
        if (events.Count == 0 && read.Waiter is { } waiter) Subscribe(waiter);
        return new(events, null);
    }

    private HistoryAnswer<IReadOnlyList<ChatEvent>> ReadBefore(RoomCommand.ReadBefore before)
    {
        var needs = new List<HistoryRead>();
        var events = _history.VisibleBefore(before.User, before.BeforeId, before.Limit, before.Pages, needs);
        return events is null ? new(null, needs) : new(events, null);
    }

    private HistoryAnswer<RecentTalk> RecentTalk(RoomCommand.ReadRecentTalk recent)
    {
        var needs = new List<HistoryRead>();
        var talk = _history.Visible(recent.User, 0, _options.ReplayCount, newest: true, conversationOnly: true, recent.Pages, needs);
        var lastId = _history.LastVisibleId(recent.User, recent.Pages, needs);
        return needs.Count > 0 ? new(null, needs) : new(new RecentTalk(talk!, lastId!.Value), null);
    }

    // ---- state changes and fan-out

    private ChatEvent SystemNotice(string kind, string user, string text, string? to = null, string? ip = null) => new()
    {
        Ts = _clock.GetUtcNow().UtcDateTime,
        Kind = ChatEventKind.System,
        SystemEvent = kind,
        User = user,
        Text = text,
        To = to,
        Ip = ip,
    };

    /// <summary>A notice nobody waits for: stored first, delivered when the log says it is.</summary>
    private void Publish(ChatEvent e) => _eventLog.Append(e, ticket: 0, limited: false);

    /// <summary>A batch came back from the log: stored events are archived and delivered, in id order; failed ones are refused.</summary>
    private void Stored(List<ChatEvent> events, bool ok)
    {
        foreach (var e in events)
        {
            var pending = _pending.Take(e.Ticket);
            if (e.IsChange) ApplyChange(e, ok);
            if (ok)
            {
                _history.Add(e);
                _clientIds.Add(e);
                _presence.Applied(e);
                Deliver(e, pending?.Origin);
            }
            if (pending is not null) Answer(pending, e, ok ? null : ChatError.StorageUnavailable);
        }
    }

    /// <summary>The log refused an event after taking it (a shared rate limit, or Redis unreachable).</summary>
    private void Refused(long ticket, ChatError error)
    {
        ForgetChange(ticket);
        if (_pending.Take(ticket) is { } pending) Answer(pending, pending.Event, error);
    }

    /// <summary>The log found the event's clientId already stored (by another node): answered with the stored event, as a duplicate.</summary>
    private void Repeated(RoomCommand.Repeated repeated)
    {
        ForgetChange(repeated.Ticket);
        if (_pending.Take(repeated.Ticket) is not { } pending) return;
        var draft = pending.Event;
        var stored = repeated.Event ?? (draft.From is { } from && draft.ClientId is { } clientId ? _clientIds.Find(from, clientId) : null);
        if (stored is null) { Answer(pending, pending.Event, ChatError.StorageUnavailable); return; }
        Echo(pending.Origin, stored);
        pending.Reply?.TrySetResult(new PostResult(stored, null, Duplicate: true));
        foreach (var (origin, reply) in pending.Repeats ?? [])
        {
            Echo(origin, stored);
            reply?.TrySetResult(new PostResult(stored, null, Duplicate: true));
        }
    }

    /// <summary>Answers whoever waits for <paramref name="e"/>: stored, or refused with <paramref name="error"/>.</summary>
    private void Answer(PendingEvent pending, ChatEvent e, ChatError? error)
    {
        if (error is null)
        {
            pending.Reply?.TrySetResult(new PostResult(e, null));
            pending.NoticeReply?.TrySetResult(e);
            foreach (var (origin, reply) in pending.Repeats ?? [])
            {
                Echo(origin, e);
                reply?.TrySetResult(new PostResult(e, null, Duplicate: true));
            }
            return;
        }
        Refuse(pending.Origin, error, e.ClientId);
        pending.Reply?.TrySetResult(new PostResult(null, error));
        pending.NoticeReply?.TrySetResult(null);
        foreach (var (origin, reply) in pending.Repeats ?? [])
        {
            Refuse(origin, error, e.ClientId);
            reply?.TrySetResult(new PostResult(null, error));
        }
    }

    /// <summary>Delivers a stored event to everyone entitled to it; one subscriber's fault is logged and the loop goes on.</summary>
    private void Deliver(ChatEvent e, RoomSubscriber? origin)
    {
        if (e.To is null)
        {
            foreach (var s in _subscribers)
            {
                try { s.Deliver(e, s == origin); }
                catch (Exception ex) { LogFault(ex, s, "delivery"); }
            }
            _metrics.Published(_subscribers.Count);
            return;
        }
        var recipients = DeliverTo(e.To, e, origin);
        if (e.From is not null && !Names.Equal(e.From, e.To)) recipients += DeliverTo(e.From, e, origin);
        _metrics.Published(recipients);
    }

    private int DeliverTo(string user, ChatEvent e, RoomSubscriber? origin)
    {
        if (!_subscribersByUser.TryGetValue(user, out var subscribers)) return 0;
        var recipients = 0;
        foreach (var s in subscribers)
        {
            try
            {
                if (!e.IsVisibleTo(s.User)) continue;
                s.Deliver(e, s == origin);
                recipients++;
            }
            catch (Exception ex) { LogFault(ex, s, "delivery"); }
        }
        return recipients;
    }

    private void Echo(RoomSubscriber? origin, ChatEvent stored)
    {
        try { origin?.Deliver(stored, fromThisSubscriber: true); }
        catch (Exception ex) { LogFault(ex, origin!, "echo"); }
    }

    private void Refuse(RoomSubscriber? origin, ChatError error, string? clientId)
    {
        try { origin?.Refuse(error, clientId); }
        catch (Exception ex) { LogFault(ex, origin!, "refusal"); }
    }

    private void LogFault(Exception ex, RoomSubscriber subscriber, string what) =>
        _log.LogError(ex, "A {Subscriber} of {User} failed in its {What}; the room goes on", subscriber.GetType().Name, subscriber.User.Name, what);
}
