using System.Net.WebSockets;
using System.Text;
using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Profiles;
using ChatApp.Connections;
using Microsoft.AspNetCore.Connections;

namespace ChatApp.Stomp;

/// <summary>
/// One <c>/stomp</c> connection (PROTOCOL.md §4): a room subscriber like a <c>/ws</c> one (same room, outbox,
/// limits and refusal codes), speaking STOMP frames inside WebSocket messages. It joins the room at CONNECT;
/// its subscriptions decide which of the events the room delivers it passes on.
/// </summary>
public sealed class StompConnection
{
    // As /ws's: frames may be split any way, and a socket holds this buffer for its lifetime.
    private const int ReceiveChunkBytes = 512;

    private readonly SocketUpgrade _upgrade;
    private readonly string _connectionId;
    private readonly string _visitorAddress;
    private readonly StompServices _services;
    private readonly StompVersion? _subProtocol;
    private readonly ChatUser? _signedIn;
    private readonly StompParser _parser;
    private readonly List<StompFrame> _frames = [];
    private readonly Lock _subscriptionsLock = new();
    private FrameOutbox _outbox = null!;
    private WebSocket _socket = null!;
    private ChatUser? _user;
    private StompMember? _member;
    private StompVersion _version;
    private bool _closing;
    private ITimer? _beatTimer, _checkTimer;
    private long _lastReceived;

    /// <summary>Live subscriptions: replaced whole under the lock, read by the room loop without it.</summary>
    private StompSubscription[] _live = [];
    private readonly Dictionary<string, StompSubscription> _byId = [];

    /// <param name="upgrade">the socket, through the endpoint or taken below HTTP</param>
    /// <param name="subProtocol">the <c>v1x.stomp</c> subprotocol the upgrade agreed on, or null</param>
    /// <param name="signedIn">the user the upgrade request was signed in as (cookie, bearer, access_token), or null</param>
    /// <param name="connectionId">the transport's connection id: CONNECTED's <c>session</c></param>
    /// <param name="visitorAddress">the client's address as PROTOCOL.md shows it: password sign-ins count against it</param>
    public StompConnection(SocketUpgrade upgrade, StompServices services, string? subProtocol, ChatUser? signedIn, string connectionId, string visitorAddress)
    {
        _upgrade = upgrade;
        _connectionId = connectionId;
        _visitorAddress = visitorAddress;
        _services = services;
        _subProtocol = StompVersions.FromSubProtocol(subProtocol);
        _signedIn = signedIn;
        var stomp = services.Stomp;
        // Same allowance as /ws: JSON-escaped text can take six bytes a character.
        _parser = new StompParser(stomp.MaxHeaderBytes, stomp.MaxHeaders, services.Chat.MaxMessageLength * 6 + 4096, stomp.MaxFrameBytes);
    }

    /// <summary>The signed-in user (set at CONNECT; the room sees the connection only after that).</summary>
    private ChatUser User => _user!;

    public async Task RunAsync()
    {
        var transport = await _upgrade.AcceptAsync();
        // The limits of /ws: a session too far behind (in frames or bytes) or with a send hung too long is cut off.
        var chat = _services.Chat;
        _outbox = new FrameOutbox(_upgrade.Output, chat.OutboxFrames + chat.MaxReplay + 8, chat.OutboxBytes,
            TimeSpan.FromSeconds(chat.SendTimeoutSeconds), _services.Clock, onOverflow: CutOff);
        using var socket = _socket = WebSocket.CreateFromStream(new OutboxWriteStream(transport, _outbox),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var sending = _outbox.RunAsync();
        using var stopping = _services.Stopping.Register(_upgrade.Abort);
        try
        {
            await ReceiveLoopAsync(socket);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException) { }
        finally
        {
            _beatTimer?.Dispose();
            _checkTimer?.Dispose();
            if (_member is not null) await _services.Room.LeaveAsync(_member);
            _outbox.Complete();
            await sending;
            if (_user is not null) await _services.Accounts.MarkSeenAsync(_user.Name);
        }
    }

    private void CutOff()
    {
        _services.Log.LogWarning("Disconnecting STOMP client {User}: its outbound queue is full ({Bytes} bytes queued) or a send hung", _user?.Name, _outbox.QueuedBytes);
        _services.Metrics.OutboxCutOff();
        _upgrade.Abort();
    }

    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        var chunk = new byte[ReceiveChunkBytes];
        while (!_closing)
        {
            var result = await socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
            Volatile.Write(ref _lastReceived, _services.Clock.GetTimestamp());
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            // Text and binary messages alike feed one byte stream: frames may be split or batched any way.
            var error = _parser.Feed(chunk.AsSpan(0, result.Count), _frames);
            foreach (var frame in _frames)
            {
                if (_closing) break;
                await HandleAsync(frame);
            }
            _frames.Clear();
            if (error is not null && !_closing) await FailAsync("malformed frame", error);
        }
    }

    /// <summary>ERROR, then close: the ERROR is queued before the close frame, and the outbox is drained before the socket goes.</summary>
    private async Task FailAsync(string message, string details, string? receiptId = null)
    {
        if (_closing) return;
        _closing = true;
        _outbox.TrySend(StompFrames.Error(message, details, _user is null ? null : _version, receiptId));
        await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, null, CancellationToken.None);
    }

    private async Task HandleAsync(StompFrame frame)
    {
        if (_user is null)
        {
            if (frame.Command is "CONNECT" or "STOMP") await ConnectAsync(frame);
            else await FailAsync("not connected", $"Expected CONNECT or STOMP, got {frame.Command}.");
            return;
        }
        var receipt = frame.Header("receipt");
        switch (frame.Command)
        {
            case "SEND":
                await SendAsync(frame, receipt);
                return;
            case "SUBSCRIBE":
                await SubscribeAsync(frame, receipt);
                return;
            case "UNSUBSCRIBE":
                Unsubscribe(frame.Header("id") ?? frame.Header("destination"));
                break;
            case "DISCONNECT":
                if (receipt is not null) _outbox.TrySend(StompFrames.Receipt(receipt, _version));
                _closing = true;
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            case "ACK" or "NACK" or "BEGIN" or "COMMIT" or "ABORT":
                break; // every subscription is auto-acknowledged; transactions group nothing here
            case "CONNECT" or "STOMP":
                await FailAsync("already connected", "This session is already connected.", receipt);
                return;
            default:
                await FailAsync("unknown command", $"{frame.Command} is not a STOMP client command.", receipt);
                return;
        }
        if (receipt is not null) _outbox.TrySend(StompFrames.Receipt(receipt, _version));
    }

    // ---- CONNECT

    private async Task ConnectAsync(StompFrame frame)
    {
        if (StompVersions.Negotiate(frame.Header("accept-version"), _subProtocol) is not { } version)
        {
            await FailAsync("unsupported version", "Supported protocol versions are 1.0, 1.1 and 1.2.");
            return;
        }
        var login = frame.Header("login");
        var passcode = frame.Header("passcode");
        ChatUser? user = null;
        if (!string.IsNullOrEmpty(login) && !string.IsNullOrEmpty(passcode))
        {
            // A password is a sign-in and counts against the address's limit (PROTOCOL.md §1), as a claim over HTTP does;
            // a session token of that name is not (the client signed in when it got it).
            // The token is looked up once: a session of the login's name is taken as /ws and HTTP take it.
            if (await _services.Accounts.AuthenticateAsync(passcode, _upgrade.Aborted) is { } byToken && Names.Equal(byToken.Name, login))
                user = byToken;
            else if (await _services.SignIns.TryAcquireAsync(_visitorAddress, _upgrade.Aborted) is { } wait)
            {
                await FailAsync("rate_limited", $"Too many sign-ins from this address; try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.");
                return;
            }
            else user = (await _services.Accounts.SignInWithPasswordAsync(login, passcode, _upgrade.Aborted)).User;
        }
        // A socket already signed in (cookie, bearer, access_token) may CONNECT without a passcode, as itself only.
        if (user is null && string.IsNullOrEmpty(passcode) && _signedIn is not null && (string.IsNullOrEmpty(login) || Names.Equal(login, _signedIn.Name)))
            user = _signedIn;
        if (user is null)
        {
            await FailAsync("unauthorized", "login must be a user name and passcode its session token or password.");
            return;
        }
        if (!TryHeartBeat(frame.Header("heart-beat"), out var clientSends, out var clientWants))
        {
            await FailAsync("malformed frame", "heart-beat must be two numbers: heart-beat:cx,cy.");
            return;
        }
        _user = user;
        _version = version;
        _parser.Version = version;
        var offer = _services.Stomp.HeartBeatMilliseconds;
        _outbox.TrySend(StompFrames.Connected(version, $"{offer},{offer}", user.Name, _connectionId));
        StartHeartBeats(outgoing: offer > 0 && clientWants > 0 ? Math.Max(offer, clientWants) : 0,
                        incoming: offer > 0 && clientSends > 0 ? Math.Max(offer, clientSends) : 0);
        _member = new StompMember(user, this);
        await _services.Room.JoinAsync(_member, since: null);
    }

    private static bool TryHeartBeat(string? header, out int sends, out int wants)
    {
        sends = wants = 0;
        if (header is null) return true;
        var parts = header.Split(',');
        return parts.Length == 2 && int.TryParse(parts[0].Trim(), out sends) && int.TryParse(parts[1].Trim(), out wants) && sends >= 0 && wants >= 0;
    }

    /// <summary>Sends an EOL every <paramref name="outgoing"/> ms; drops a client silent for twice <paramref name="incoming"/> ms.</summary>
    private void StartHeartBeats(int outgoing, int incoming)
    {
        var clock = _services.Clock;
        if (outgoing > 0)
            _beatTimer = clock.CreateTimer(_ => _outbox.TrySend(StompFrames.HeartBeat), null, TimeSpan.FromMilliseconds(outgoing), TimeSpan.FromMilliseconds(outgoing));
        if (incoming > 0)
        {
            var limit = TimeSpan.FromMilliseconds(2 * incoming);
            var check = TimeSpan.FromMilliseconds(Math.Max(1, incoming / 2));
            Volatile.Write(ref _lastReceived, clock.GetTimestamp());
            _checkTimer = clock.CreateTimer(_ =>
            {
                if (clock.GetElapsedTime(Volatile.Read(ref _lastReceived)) <= limit) return;
                _services.Log.LogInformation("Dropping STOMP client {User}: no heart-beat for {Limit}", _user?.Name, limit);
                _upgrade.Abort();
            }, null, check, check);
        }
    }

    // ---- SUBSCRIBE / UNSUBSCRIBE

    /// <summary>Subscribes; the receipt of a topic subscription comes after its roster, so a client that waits for it has the roster.</summary>
    private async Task SubscribeAsync(StompFrame frame, string? receipt)
    {
        var destination = frame.Header("destination");
        // Version 1.0 makes id optional; the destination then stands for it.
        var id = frame.Header("id") ?? (_version == StompVersion.V10 ? destination : null);
        bool isTopic;
        if (destination == StompFrames.TopicChat) isTopic = true;
        else if (destination == StompFrames.PrivateQueue) isTopic = false;
        else
        {
            await FailAsync("unknown destination", $"Subscribe to {StompFrames.TopicChat} or {StompFrames.PrivateQueue}.", receipt);
            return;
        }
        if (string.IsNullOrEmpty(id))
        {
            await FailAsync("malformed frame", "SUBSCRIBE needs an id header.", receipt);
            return;
        }
        var subscription = new StompSubscription(id, isTopic, StompFrames.MessageHead(id, _version));
        lock (_subscriptionsLock)
        {
            if (!_byId.TryAdd(id, subscription)) subscription = null;
        }
        if (subscription is null)
        {
            await FailAsync("duplicate subscription", $"A subscription with id {id} already exists.", receipt);
            return;
        }
        if (!isTopic)
        {
            Activate(subscription);
            if (receipt is not null) _outbox.TrySend(StompFrames.Receipt(receipt, _version));
            return;
        }
        long? since = long.TryParse(frame.Header("since"), out var s) && s >= 0 ? s : null;
        // Replay, replayed and roster are queued on the room's loop, and the subscription goes live there, so no live event comes before them.
        await _services.Room.CatchUpAsync(User, since, catchUp =>
        {
            CatchUp(subscription, since is not null, catchUp);
            if (receipt is not null) _outbox.TrySend(StompFrames.Receipt(receipt, _version));
        });
    }

    private void Activate(StompSubscription subscription)
    {
        lock (_subscriptionsLock)
        {
            if (_byId.GetValueOrDefault(subscription.Id) != subscription) return; // unsubscribed meanwhile
            Volatile.Write(ref _live, [.. _live, subscription]);
        }
    }

    private void Unsubscribe(string? id)
    {
        if (id is null) return;
        lock (_subscriptionsLock)
        {
            if (!_byId.Remove(id, out var gone)) return;
            Volatile.Write(ref _live, _live.Where(s => s != gone).ToArray());
        }
    }

    /// <summary>On the room's loop: replay (public events to this subscription, private ones to the private queue's), replayed, roster, then live.</summary>
    private void CatchUp(StompSubscription topic, bool resumed, RoomCatchUp catchUp)
    {
        if (resumed)
        {
            var privates = Volatile.Read(ref _live);
            foreach (var e in catchUp.Replay)
            {
                if (e.Event.To is null) _outbox.TrySend(StompFrames.Event(e, replay: true, topic.Head));
                else foreach (var s in privates) if (!s.IsTopic) _outbox.TrySend(StompFrames.Event(e, replay: true, s.Head));
            }
            var replayed = ChatEventJson.Build(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "replayed");
                w.WriteNumber("count", catchUp.Replay.Count);
                w.WriteNumber("lastId", catchUp.LastId);
                if (catchUp.Truncated) w.WriteBoolean("truncated", true);
                w.WriteEndObject();
            });
            _outbox.TrySend(StompFrames.Message(topic.Id, StompFrames.TopicChat, replayed, _version, "replayed"));
        }
        // Framed straight from the JSON writer's buffer: one copy of a list of every name, per subscription.
        _outbox.TrySend(ChatEventJson.Roster(catchUp.Roster, finish: json => StompFrames.Message(topic.Id, StompFrames.TopicChat, json, _version, "roster")));
        Activate(topic);
    }

    // ---- SEND

    private async Task SendAsync(StompFrame frame, string? receipt)
    {
        if (frame.BodyTooLong) { RefuseSend(ChatError.TooLong(_services.Chat.MaxMessageLength), null, receipt); return; }
        var destination = frame.Header("destination");
        string? to;
        if (destination == StompFrames.TopicChat) to = null;
        else if (destination is not null && destination.StartsWith("/queue/", StringComparison.Ordinal) && destination.Length > "/queue/".Length) to = destination["/queue/".Length..];
        else { RefuseSend(ChatError.BadFrame with { Message = $"Send to {StompFrames.TopicChat} or /queue/<user>." }, null, receipt); return; }

        string text;
        try { text = StrictUtf8.GetString(frame.Body); }
        catch (DecoderFallbackException) { RefuseSend(ChatError.BadFrame with { Message = "The body is not UTF-8." }, null, receipt); return; }
        string? clientId = frame.Header("client-id");
        PostDraft? draft;
        ChatError? refusal;
        if ((frame.Header("content-type") ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            var (client, error) = ClientFrame.Parse(frame.Body);
            if (error is not null) { RefuseSend(error, null, receipt); return; }
            clientId = client!.ClientId ?? clientId;
            if (clientId is { Length: > ClientFrame.MaxClientIdLength }) { RefuseSend(ChatError.BadFrame with { Message = $"clientId is longer than {ClientFrame.MaxClientIdLength} characters." }, null, receipt); return; }
            // The client frames of PROTOCOL.md §2.2 and §2.4, but files: their bytes go over /ws or HTTP.
            (draft, refusal) = client.Type switch
            {
                "message" => await _services.Drafts.MessageAsync(client.Text ?? "", client.To ?? to, clientId, _upgrade.Aborted),
                "edit" => await _services.Drafts.EditAsync(client.Target, client.Text, clientId, _upgrade.Aborted),
                "delete" => (_services.Drafts.Delete(client.Target, clientId), (ChatError?)null),
                _ => (null, ChatError.BadFrame with { Message = "Over STOMP a client frame is a message, an edit or a delete; files are shared over /ws or HTTP." }),
            };
        }
        else
        {
            if (clientId is { Length: > ClientFrame.MaxClientIdLength }) { RefuseSend(ChatError.BadFrame with { Message = $"clientId is longer than {ClientFrame.MaxClientIdLength} characters." }, null, receipt); return; }
            (draft, refusal) = await _services.Drafts.MessageAsync(text, to, clientId, _upgrade.Aborted);
        }
        if (refusal is not null) { RefuseSend(refusal, clientId, receipt); return; }
        if (receipt is null)
        {
            // The room refuses (rate_limited) or echoes through Refuse and Deliver.
            await _services.Room.Post(User, draft!, _member!);
            return;
        }
        // A receipt waits for the room's answer: RECEIPT once the event is stored, else the refusal carrying the receipt.
        using var answer = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var posted = await _services.Room.PostAndWaitAsync(User, draft!, null, answer.Token);
        if (posted.Error is not null) { RefuseSend(posted.Error, clientId, receipt); return; }
        if (posted.Duplicate) Deliver(new StoredEvent(posted.Event!)); // the stored event again, as its echo
        _outbox.TrySend(StompFrames.Receipt(receipt, _version));
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>A refused SEND leaves the session open: the error event goes to the private queue (PROTOCOL.md §4).</summary>
    internal void RefuseSend(ChatError error, string? clientId, string? receipt)
    {
        var json = ChatEventJson.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            if (clientId is not null) w.WriteString("clientId", clientId);
            if (receipt is not null) w.WriteString("receipt", receipt);
            w.WriteEndObject();
        });
        var privates = Volatile.Read(ref _live).Where(s => !s.IsTopic).ToList();
        // Without a private subscription it still goes out, with no subscription header (stompjs: onUnhandledMessage).
        if (privates.Count == 0) _outbox.TrySend(StompFrames.Message("", StompFrames.PrivateQueue, json, _version, "error"));
        foreach (var s in privates) _outbox.TrySend(StompFrames.Message(s.Id, StompFrames.PrivateQueue, json, _version, "error"));
    }

    // ---- for the room (through StompMember): called by the room loop; each only queues

    internal void Deliver(StoredEvent e)
    {
        var isPublic = e.Event.To is null;
        foreach (var s in Volatile.Read(ref _live))
            if (s.IsTopic == isPublic)
                _outbox.TrySend(StompFrames.Event(e, replay: false, s.Head));
    }

    /// <summary>A run of public events: one queue item for the topic subscription. False (event by event) for a session with several.</summary>
    internal bool DeliverRun(StoredRun run)
    {
        StompSubscription? topic = null;
        foreach (var s in Volatile.Read(ref _live))
        {
            if (!s.IsTopic) continue;
            if (topic is not null) return false;
            topic = s;
        }
        // Without a topic subscription, public events go nowhere, as in Deliver.
        if (topic is not null) _outbox.TrySend(new OutboundFrame(StompFrames.Run(run, topic.Head), run.Count));
        return true;
    }
}
