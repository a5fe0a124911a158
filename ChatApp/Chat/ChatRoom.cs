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
/// Nor does it read the disk: history older than memory is read by the asker (<see cref="AskAsync{T}"/>), and the
/// target of an edit or deletion older than memory by the <see cref="TargetReader"/>.
/// </summary>
public sealed class ChatRoom : IHostedService
{
    private const int CommandQueueLength = 65_536;
    private const int RememberedClientIds = 100_000;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);
    // Conversation kept in memory beyond the archive: enough default replays that join/part notices never push talk onto the disk.
    private const int TalkPerReplay = 40;
    private const int MinTalkArchive = 2_000;
    private static readonly object Joined = new();

    private readonly WakingChannel<RoomCommand> _commands = new(Channel.CreateBounded<RoomCommand>(
        new BoundedChannelOptions(CommandQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }));

    private readonly ChatOptions _options;
    private readonly IRoomLog _eventLog;
    private readonly TimeProvider _clock;
    private readonly ILogger<ChatRoom> _log;
    private readonly ChatMetrics _metrics;

    private readonly RoomFanOut _fanOut;
    private readonly StoredRun _run = new(); // the public events of a stored batch not delivered yet
    private readonly List<(PendingEvent Pending, ChatEvent Event, ChatError? Error)> _answersDue = [];
    private readonly RoomAnswers _answers;
    private readonly RoomReads _reads;
    private readonly RoomChanges _changes;
    private readonly TargetReader _targetReader;
    private readonly IRoomPresence _presence;
    private readonly PresenceGrace _grace;
    private readonly RoomHistory _history;
    private readonly EventStore _store;
    private readonly ClientIdIndex _clientIds = new(RememberedClientIds);
    private readonly PendingEvents _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop; // the room's loop, from the start
    private long _nextTicket;

    public ChatRoom(IOptions<ChatOptions> options, EventStore store, IRoomLog eventLog, IRoomPresence presence, TimeProvider clock, ChatMetrics metrics, ILogger<ChatRoom> log)
    {
        _metrics = metrics;
        _options = options.Value;
        _eventLog = eventLog;
        _presence = presence;
        _store = store;
        _clock = clock;
        _log = log;
        _history = new RoomHistory(Math.Max(_options.ArchiveCapacity, _options.MaxReplay), Math.Max(_options.ReplayCount * TalkPerReplay, MinTalkArchive), store, metrics);
        _fanOut = new RoomFanOut(metrics, log);
        _answers = new RoomAnswers(log);
        _reads = new RoomReads(_history, _options, presence);
        _changes = new RoomChanges(_history);
        _targetReader = new TargetReader(_history, _commands.Writer, log);
        _grace = new PresenceGrace(TimeSpan.FromSeconds(_options.PresenceGraceSeconds), clock,
            (name, ticket) => _ = _commands.Writer.WriteAsync(new RoomCommand.GraceEnded(name, ticket)).AsTask());
    }

    /// <summary>Called (on the room's loop, so it only hands the work on) with the key of a shared file whose deletion was stored: its bytes are to go.</summary>
    public Action<string>? FileDeleted { get; set; }

    /// <summary>Id of the newest event numbered or applied (stored or on its way); ids keep growing across restarts.</summary>
    public long LastId => _eventLog.LastId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var recent = _history.Load();
        foreach (var e in recent) _clientIds.Add(e);
        // Before any connection: whoever the last stop or crash cut off gets the grace, as after any last close.
        _commands.Writer.TryWrite(new RoomCommand.Resume(_store.OnlineAtLastStop()));
        var inbox = new RoomInbox(_commands.Writer, () => _stopping.Token);
        await _eventLog.StartAsync(recent.Count > 0 ? recent[^1].Id : 0, inbox, cancellationToken);
        // Not a BackgroundService: a stop that came before its loop first ran cancelled the loop, queue and all. A thread
        // of its own (WakingChannel): the loop never blocks on anything but its queue.
        _loop = Task.Factory.StartNew(() => Run(_stopping.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // Hosted services start before the server listens: no join, replay or read reaches the loop before what
        // the shared log holds is in the room (a restarted node's `since` replay then has what it missed).
        await _eventLog.CaughtUpAsync(cancellationToken);
    }

    /// <summary>Handles every command queued before the stop (a post accepted goes on to be stored), then ends the loop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is null) return;
        try { await _loop.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { } // the host stopped waiting
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

    private void Run(CancellationToken stoppingToken)
    {
        _ = BeatAsync(stoppingToken);
        _ = _targetReader.RunAsync(stoppingToken);
        try
        {
            while (_commands.WaitToRead(stoppingToken)) HandleQueued();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            HandleQueued(); // what was accepted before the stop, even when the stop came before the loop first waited
            _grace.Dispose();
        }
    }

    private void HandleQueued()
    {
        while (_commands.Reader.TryRead(out var command))
        {
            try { Handle(command); }
            catch (Exception ex) { _log.LogError(ex, "The room failed to handle {Command}", command.GetType().Name); Fail(command, ex); }
        }
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
            case RoomCommand.Resume resume: Resume(resume.Names); break;
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
            case RoomCommand.ReadBefore before: before.Reply.TrySetResult(_reads.ReadBefore(before)); break;
            case RoomCommand.Heartbeat: _fanOut.Heartbeat(); break;
            case RoomCommand.CatchUp catchUp: catchUp.Reply.TrySetResult(_reads.CatchUp(catchUp)); break;
            case RoomCommand.GetRoster roster: roster.Reply.TrySetResult(_presence.OnlineNames()); break;
            case RoomCommand.GetLastId last: last.Reply.TrySetResult(_eventLog.LastId); break;
            case RoomCommand.ReadRecentTalk recent: recent.Reply.TrySetResult(_reads.RecentTalk(recent)); break;
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

    // ---- joining and leaving

    private HistoryAnswer<object> Join(RoomCommand.Join join)
    {
        var (subscriber, since, pages, _) = join;
        var user = subscriber.User;
        if (subscriber.WantsHistory)
        {
            var needs = new List<HistoryRead>();
            var (lastId, replay) = _reads.ForJoin(user, since, pages, needs, out var truncated);
            if (needs.Count > 0) return new(null, needs); // nothing sent, not subscribed: the caller reads and joins again
            _answers.Replay(subscriber, lastId!.Value, replay!, since, truncated);
        }
        _fanOut.Add(subscriber);
        var first = subscriber.IsPresence && _presence.Add(subscriber);
        if (subscriber.IsPresence) _grace.Cancel(user.Name); // back within the grace: no part was sent, so no join either
        if (first) _metrics.UsersOnline(_presence.SortedNames.Count);
        if (subscriber.WantsHistory) _answers.Roster(subscriber, _presence.SortedNames);
        if (first) Publish(SystemNotice("join", user.Name, $"{user.Name} joined"));
        return new(Joined, null);
    }

    private void Leave(RoomSubscriber subscriber)
    {
        if (!_fanOut.Remove(subscriber)) return; // already gone
        var name = subscriber.User.Name;
        if (subscriber.IsPresence && _presence.Remove(subscriber) && !_grace.Begin(name)) Part(name);
    }

    /// <summary>
    /// The users online when the process last ended: listed again as if their last connection had just closed, so whoever
    /// reconnects within the grace does so silently (as from a reload), and whoever does not gets the part their stop or
    /// crash never stored. A restart then neither floods the room with parts and joins nor leaves a join unanswered.
    /// </summary>
    private void Resume(IReadOnlyList<string> names)
    {
        foreach (var name in names)
            if (_presence.Resume(name) && !_grace.Begin(name)) Part(name);
        _metrics.UsersOnline(_presence.SortedNames.Count);
    }

    /// <summary>The user's last connection closed and no other came within the grace: they leave everyone's list.</summary>
    private void Part(string name)
    {
        if (!_presence.Drop(name)) return;
        _metrics.UsersOnline(_presence.SortedNames.Count);
        Publish(SystemNotice("part", name, $"{name} left"));
    }

    /// <summary>A long poll with nothing to return subscribes its waiter in the same step, so nothing slips between.</summary>
    private HistoryAnswer<IReadOnlyList<ChatEvent>> Read(RoomCommand.Read read)
    {
        var answer = _reads.Read(read);
        if (answer.Value is { Count: 0 } && read.Waiter is { } waiter) _fanOut.Add(waiter);
        return answer;
    }

    // ---- new events: to the log, then (once stored) archived, delivered and answered

    private void Post(RoomCommand.Post post)
    {
        var (user, draft, origin, reply, read) = post;
        // Back from the reader: settled first, whatever becomes of the change now.
        if (read is not null) read = _changes.Returned(read);
        if (draft.ClientId is not null)
        {
            if (_clientIds.Find(user.Name, draft.ClientId) is { } stored)
            {
                _answers.Duplicate(origin, reply, stored);
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
            (target, var refusal) = _changes.Target(user, draft, read, out var readFirst);
            if (readFirst)
            {
                _targetReader.Read(post); // older than memory: read off the loop, then handled again
                return;
            }
            if (refusal is not null)
            {
                _answers.Refuse(origin, reply, refusal, draft.ClientId);
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
            _answers.Refuse(origin, reply, refused, draft.ClientId);
            return;
        }
        if (target is not null) _changes.Appended(e, target, ticket);
        _pending.Add(ticket, e, origin, reply);
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

    /// <summary>
    /// A batch came back from the log: stored events are archived and delivered, in id order; failed ones are refused.
    /// Consecutive public events go out as runs (<see cref="StoredRun"/>): a storm's joins or a busy room's messages cost
    /// one queue write per connection per run, not per event. Answers wait for their event's run, so each subscriber
    /// still sees everything in id order; a change is applied only once what came before it is framed.
    /// </summary>
    private void Stored(List<ChatEvent> events, bool ok)
    {
        foreach (var e in events)
        {
            var pending = _pending.Take(e.Ticket);
            if (e.IsChange)
            {
                DeliverRun();
                if (_changes.Apply(e, ok) is { } deletedFile) FileDeleted?.Invoke(deletedFile);
            }
            if (ok)
            {
                var stored = new StoredEvent(e);
                _history.Add(stored);
                _clientIds.Add(e);
                _presence.Applied(e);
                if (StoredRun.Fits(e))
                {
                    if (!_run.Takes(e)) DeliverRun(); // full, by count or by length
                    _run.Add(stored, pending?.Origin);
                }
                else
                {
                    DeliverRun();
                    _fanOut.Deliver(stored, pending?.Origin);
                }
            }
            if (pending is null) continue;
            var error = ok ? null : ChatError.StorageUnavailable;
            if (_run.Count == 0) _answers.Answer(pending, e, error);
            else _answersDue.Add((pending, e, error));
        }
        DeliverRun();
    }

    /// <summary>Delivers the run gathered so far, then answers its events' senders.</summary>
    private void DeliverRun()
    {
        if (_run.Count > 0) _fanOut.Deliver(_run);
        _run.Clear();
        foreach (var (pending, e, error) in _answersDue) _answers.Answer(pending, e, error);
        _answersDue.Clear();
    }

    /// <summary>The log refused an event after taking it (a shared rate limit, or Redis unreachable).</summary>
    private void Refused(long ticket, ChatError error)
    {
        _changes.Forget(ticket);
        if (_pending.Take(ticket) is { } pending) _answers.Answer(pending, pending.Event, error);
    }

    /// <summary>The log found the event's clientId already stored (by another node): answered with the stored event, as a duplicate.</summary>
    private void Repeated(RoomCommand.Repeated repeated)
    {
        _changes.Forget(repeated.Ticket);
        if (_pending.Take(repeated.Ticket) is not { } pending) return;
        var draft = pending.Event;
        var stored = repeated.Event ?? (draft.From is { } from && draft.ClientId is { } clientId ? _clientIds.Find(from, clientId) : null);
        if (stored is null) { _answers.Answer(pending, pending.Event, ChatError.StorageUnavailable); return; }
        _answers.Duplicate(pending, stored);
    }
}
