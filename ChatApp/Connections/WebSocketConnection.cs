using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Files;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary>
/// One <c>/ws</c> connection (PROTOCOL.md §2): a room subscriber whose events leave through its
/// <see cref="FrameOutbox"/>, and a receive loop that routes client frames: text to the room, file
/// headers and bytes to its <see cref="UploadState"/>.
/// </summary>
public sealed class WebSocketConnection : RoomSubscriber
{
    private const int ReceiveChunkBytes = 512;
    private const int FileReceiveBytes = 64 * 1024;

    private readonly SocketUpgrade _upgrade;
    private readonly ChatRoom _room;
    private readonly DraftBuilder _drafts;
    private readonly ChatOptions _options;
    private readonly ILogger _log;
    private readonly CancellationToken _serverStopping;
    private readonly FileStore _files;
    private readonly TimeProvider _clock;
    private readonly ChatMetrics? _metrics;
    private readonly UploadState _uploads;
    private FrameOutbox _outbox = null!;

    /// <summary>Guards <see cref="_closing"/>: the request is aborted only while it is still running.</summary>
    private readonly Lock _gate = new();
    private bool _closing;

    public WebSocketConnection(SocketUpgrade upgrade, ChatUser user, ChatRoom room, DraftBuilder drafts, IOptions<ChatOptions> options, ILogger log,
        FileStore files, CancellationToken serverStopping, TimeProvider? clock = null, ChatMetrics? metrics = null)
        : base(user)
    {
        _metrics = metrics;
        _serverStopping = serverStopping;
        _upgrade = upgrade;
        _room = room;
        _drafts = drafts;
        _options = options.Value;
        _log = log;
        _files = files;
        _clock = clock ?? TimeProvider.System;
        _uploads = new UploadState(_options.MaxFileBytes, drafts, files);
    }

    public override bool IsPresence => true;

    // JSON-escaped text can take up to six bytes a character ("\u0000"); more than that is refused unread.
    private int MaxTextFrameBytes => _options.MaxMessageLength * 6 + 4096;

    public async Task RunAsync(long? since)
    {
        var transport = await _upgrade.AcceptAsync();
        // Room for a whole replay (welcome, MaxReplay events, replayed, roster) on top of the live allowance.
        _outbox = new FrameOutbox(_upgrade.Output, _options.OutboxFrames + _options.MaxReplay + 8,
            _options.OutboxBytes, TimeSpan.FromSeconds(_options.SendTimeoutSeconds), _clock, onOverflow: CutOff);
        using var socket = WebSocket.CreateFromStream(new OutboxWriteStream(transport, _outbox),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }); // the room's heartbeat pings instead of a timer per socket
        var sending = _outbox.RunAsync();
        // A stopping server drops its sockets at once (clients resume with since=); graceful shutdown would wait for them.
        using var stopping = _serverStopping.Register(Abort);
        try
        {
            // Returns once welcome, replay and roster are queued; a replay from disk is read on this connection's time, not the room's.
            await _room.JoinAsync(this, since, _serverStopping);
            await ReceiveLoopAsync(socket);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException) { }
        catch (Exception e)
        {
            // The boundary of this connection: whatever went wrong ends it alone, logged, and the room goes on.
            _log.LogError(e, "The connection of {User} failed", User.Name);
            Abort();
        }
        finally
        {
            lock (_gate) _closing = true;
            await _room.LeaveAsync(this);
            _outbox.Complete();
            await sending;
            await _uploads.DisposeAsync();
        }
    }

    /// <summary>Too slow: the queue filled up or a write hung. Dropping the TCP connection is the only thing that cannot wait on the client.</summary>
    private void CutOff()
    {
        lock (_gate)
        {
            if (_closing) return; // already on its way out: not slow, just gone
            _log.LogWarning("Disconnecting {User}: its outbound queue is full ({Bytes} bytes queued) or a send hung", User.Name, _outbox.QueuedBytes);
            _metrics?.OutboxCutOff();
            AbortLocked();
        }
    }

    private void Abort()
    {
        lock (_gate) if (!_closing) AbortLocked();
    }

    /// <summary>Under the gate, so never after the request has finished (its context may be reused by then).</summary>
    private void AbortLocked()
    {
        try { _upgrade.Abort(); }
        catch (ObjectDisposedException) { }
    }

    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        var chunk = new byte[ReceiveChunkBytes];
        ArrayBufferWriter<byte>? message = null; // only for frames longer than one chunk
        while (true)
        {
            // No token: an idle socket would hold a registration for hours; Abort() ends this read anyway.
            var result = await socket.ReceiveAsync(chunk.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                if (await ReceiveBinaryAsync(socket, chunk, result)) continue;
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            if (result.EndOfMessage)
            {
                await HandleTextAsync(chunk.AsMemory(0, result.Count));
                continue;
            }
            message ??= new ArrayBufferWriter<byte>(ReceiveChunkBytes * 4);
            message.Clear();
            var tooLong = false;
            while (true)
            {
                if (!tooLong && message.WrittenCount + result.Count <= MaxTextFrameBytes) message.Write(chunk.AsSpan(0, result.Count));
                else tooLong = true;
                if (result.EndOfMessage) break;
                result = await socket.ReceiveAsync(chunk.AsMemory(), _upgrade.Aborted);
            }
            if (tooLong) SendFrame(ChatEventJson.Error(ChatError.TooLong(_options.MaxMessageLength), null, Frame));
            else await HandleTextAsync(message.WrittenMemory);
            if (message.Capacity > 64 * 1024) message = null; // let a big buffer go
        }
    }

    /// <summary>One text frame; a fault in handling it is this frame's refusal, never the connection's end.</summary>
    private async Task HandleTextAsync(ReadOnlyMemory<byte> utf8)
    {
        string? clientId = null;
        try
        {
            var (frame, error) = ClientFrame.Parse(utf8);
            clientId = frame?.ClientId;
            if (error is not null) { SendFrame(ChatEventJson.Error(error, clientId, Frame)); return; }
            switch (frame!.Type)
            {
                case "ping":
                    SendFrame(PongFrame);
                    break;
                case "message":
                    var (draft, refusal) = await _drafts.MessageAsync(frame.Text, frame.To, frame.ClientId, _upgrade.Aborted);
                    if (refusal is not null) SendFrame(ChatEventJson.Error(refusal, frame.ClientId, Frame));
                    else await _room.Post(User, draft!, this);
                    break;
                case "file":
                    var header = new FileHeader(frame.Name, frame.ContentType, frame.Size, frame.To, frame.ClientId);
                    if (await _uploads.BeginAsync(header, _upgrade.Aborted) is { } refused) SendFrame(ChatEventJson.Error(refused, frame.ClientId, Frame));
                    break;
                case "edit":
                    var (edit, editRefusal) = await _drafts.EditAsync(frame.Target, frame.Text, frame.ClientId, _upgrade.Aborted);
                    if (editRefusal is not null) SendFrame(ChatEventJson.Error(editRefusal, frame.ClientId, Frame));
                    else await _room.Post(User, edit!, this);
                    break;
                case "delete":
                    await _room.Post(User, _drafts.Delete(frame.Target, frame.ClientId), this);
                    break;
            }
        }
        catch (Exception e) when (e is not (OperationCanceledException or IOException or WebSocketException or ConnectionAbortedException))
        {
            _log.LogError(e, "A frame from {User} could not be handled", User.Name);
            SendFrame(ChatEventJson.Error(ChatError.BadFrame with { Message = "The frame could not be handled." }, clientId, Frame));
        }
    }

    /// <summary>Reads one binary message: a file's bytes after its header, else dropped. False when a close frame ended it.</summary>
    private async Task<bool> ReceiveBinaryAsync(WebSocket socket, byte[] chunk, ValueWebSocketReceiveResult result)
    {
        var (upload, refusal) = _uploads.StartBinary();
        if (upload is null)
        {
            if (!result.EndOfMessage && !await ReceiveFileAsync(socket, upload: null)) return false;
            if (refusal is not null) SendFrame(ChatEventJson.Error(refusal, null, Frame));
            return true;
        }
        // Disposing deletes the temporary file unless it was kept: a dropped connection leaves nothing behind.
        await using (upload)
        {
            await upload.WriteAsync(chunk.AsMemory(0, result.Count), _upgrade.Aborted);
            if (!result.EndOfMessage && !await ReceiveFileAsync(socket, upload)) return false;
            var (draft, error) = await UploadState.FinishAsync(upload);
            if (error is not null)
            {
                SendFrame(ChatEventJson.Error(error, upload.ClientId, Frame));
                return true;
            }
            // Not the request's token: once the room has the post it may store it, and only its answer says whether the file is still needed.
            using var answer = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            _uploads.Settle(draft!, await _room.PostAndWaitAsync(User, draft!, this, answer.Token));
        }
        return true;
    }

    /// <summary>Streams the rest of a binary message through one pooled buffer to the upload's temporary file, or nowhere (refused). False when a close frame ended it.</summary>
    private async Task<bool> ReceiveFileAsync(WebSocket socket, FileUpload? upload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FileReceiveBytes);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), _upgrade.Aborted);
                if (result.MessageType == WebSocketMessageType.Close) return false;
                if (upload is not null) await upload.WriteAsync(buffer.AsMemory(0, result.Count), _upgrade.Aborted);
                if (result.EndOfMessage) return true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>JSON straight into a WebSocket text frame, in one copy.</summary>
    private static readonly ChatEventJson.Finish Frame = WebSocketFrames.Text;
    private static readonly byte[] PongFrame = WebSocketFrames.Text(ChatEventJson.Pong);

    private void SendFrame(byte[] frame) => _outbox.TrySend(frame);

    // ---- RoomSubscriber: called by the room loop; each only queues

    public override void Welcome(long lastId) => SendFrame(ChatEventJson.Welcome(User.Name, lastId, Frame));

    public override void Replay(StoredEvent e) => _outbox.TrySend(e.Frame(EventFrame.Replay, ReplayFrame));

    public override void Replayed(int count, long lastId, bool truncated) => SendFrame(ChatEventJson.Replayed(count, lastId, truncated, Frame));

    public override void Roster(IReadOnlyList<string> users) =>
        SendFrame(users is RosterView view ? view.Frame(RosterFrame) : RosterFrame(users));

    private static readonly Func<IReadOnlyList<string>, byte[]> RosterFrame = users => ChatEventJson.Roster(users, finish: Frame);

    public override void Deliver(StoredEvent stored, bool fromThisSubscriber)
    {
        var e = stored.Event;
        // The uploading connection has the bytes; every other one gets them right behind the event, read from disk by its own send loop.
        if (e.Kind != ChatEventKind.File || fromThisSubscriber || _files.PathOf(e.FileKey) is not { } path)
        {
            _outbox.TrySend(stored.Frame(EventFrame.Live, LiveFrame));
            return;
        }
        if (_outbox.TrySend(stored.Frame(EventFrame.LiveBinary, LiveBinaryFrame)))
            _outbox.TrySend(new OutboundFrame(path, e.FileSize));
    }

    /// <summary>A run holds no file (its bytes would follow), so every event of it is the same live frame for every connection, the echo included.</summary>
    public override bool DeliverRun(StoredRun run)
    {
        _outbox.TrySend(new OutboundFrame(run.LiveFrames(LiveFrame), run.Count));
        return true;
    }

    private static readonly Func<ChatEvent, byte[]> LiveFrame = e => ChatEventJson.Event(e, finish: Frame);
    private static readonly Func<ChatEvent, byte[]> LiveBinaryFrame = e => ChatEventJson.Event(e, binary: true, finish: Frame);
    private static readonly Func<ChatEvent, byte[]> ReplayFrame = e => ChatEventJson.Event(e, replay: true, finish: Frame);

    public override void Refuse(ChatError error, string? clientId) => SendFrame(ChatEventJson.Error(error, clientId, Frame));

    public override void Heartbeat() => _outbox.TrySend(WebSocketFrames.EmptyPing);
}
