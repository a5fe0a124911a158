using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary>
/// One <c>/ws</c> connection (PROTOCOL.md §2): a room subscriber whose events leave through its
/// <see cref="FrameOutbox"/>, and a receive loop that turns client frames into room commands.
/// </summary>
public sealed class WebSocketConnection : RoomSubscriber
{
    private const int ReceiveChunkBytes = 512;

    private readonly HttpContext _http;
    private readonly ChatRoom _room;
    private readonly DraftBuilder _drafts;
    private readonly ChatOptions _options;
    private readonly ILogger _log;
    private readonly CancellationToken _serverStopping;
    private FrameOutbox _outbox = null!;

    public WebSocketConnection(HttpContext http, ChatUser user, ChatRoom room, DraftBuilder drafts, IOptions<ChatOptions> options, ILogger log,
        CancellationToken serverStopping)
        : base(user)
    {
        _serverStopping = serverStopping;
        _http = http;
        _room = room;
        _drafts = drafts;
        _options = options.Value;
        _log = log;
    }

    public override bool IsPresence => true;

    // JSON-escaped text can take up to six bytes a character ("\u0000"); more than that is refused unread.
    private int MaxTextFrameBytes => _options.MaxMessageLength * 6 + 4096;

    public async Task RunAsync(long? since)
    {
        var transport = await WebSocketHandshake.AcceptAsync(_http);
        // Room for a whole replay (welcome, MaxReplay events, replayed, roster) on top of the live allowance.
        _outbox = new FrameOutbox(transport, _options.OutboxFrames + _options.MaxReplay + 8, onOverflow: CutOff);
        using var socket = WebSocket.CreateFromStream(new OutboxWriteStream(transport, _outbox),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }); // the room's heartbeat pings instead of a timer per socket
        var sending = _outbox.RunAsync(_http.RequestAborted);
        // A stopping server drops its sockets at once (clients resume with since=); graceful shutdown would wait for them.
        using var stopping = _serverStopping.Register(_http.Abort);
        await _room.JoinAsync(this, since);
        try
        {
            await ReceiveLoopAsync(socket);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException) { }
        finally
        {
            await _room.LeaveAsync(this);
            _outbox.Complete();
            await sending;
        }
    }

    /// <summary>Too slow: the queue filled up. Dropping the TCP connection is the only thing that cannot wait on the client.</summary>
    private void CutOff()
    {
        _log.LogWarning("Disconnecting {User}: its outbound queue is full", User.Name);
        _http.Abort();
    }

    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        var chunk = new byte[ReceiveChunkBytes];
        ArrayBufferWriter<byte>? message = null; // only for frames longer than one chunk
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk.AsMemory(), _http.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                await ReceiveBinaryAsync(socket, chunk, result);
                continue;
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
                result = await socket.ReceiveAsync(chunk.AsMemory(), _http.RequestAborted);
            }
            if (tooLong) SendFrame(ChatEventJson.Error(ChatError.TooLong(_options.MaxMessageLength), null, Frame));
            else await HandleTextAsync(message.WrittenMemory);
            if (message.Capacity > 64 * 1024) message = null; // let a big buffer go
        }
    }

    private async Task HandleTextAsync(ReadOnlyMemory<byte> utf8)
    {
        var (frame, error) = ClientFrame.Parse(utf8);
        if (error is not null) { SendFrame(ChatEventJson.Error(error, null, Frame)); return; }
        switch (frame!.Type)
        {
            case "ping":
                SendFrame(PongFrame);
                break;
            case "message":
                var (draft, refusal) = _drafts.Message(frame.Text, frame.To, frame.ClientId);
                if (refusal is not null) SendFrame(ChatEventJson.Error(refusal, frame.ClientId, Frame));
                else await _room.PostAsync(User, draft!, this);
                break;
            case "file":
                await BeginFileAsync(frame);
                break;
        }
    }

    /// <summary>A file header (PROTOCOL.md §2.2): its binary frame is expected next.</summary>
    private Task BeginFileAsync(ClientFrame frame)
    {
        Send(ChatEventJson.Error(new ChatError("bad_frame", "File sharing is not available yet."), frame.ClientId));
        return Task.CompletedTask;
    }

    private async Task ReceiveBinaryAsync(WebSocket socket, byte[] chunk, ValueWebSocketReceiveResult result)
    {
        while (!result.EndOfMessage) result = await socket.ReceiveAsync(chunk.AsMemory(), _http.RequestAborted);
        SendFrame(ChatEventJson.Error(ChatError.UnexpectedBinary, null, Frame));
    }

    /// <summary>JSON straight into a WebSocket text frame, in one copy.</summary>
    private static readonly ChatEventJson.Finish Frame = WebSocketFrames.Text;
    private static readonly byte[] PongFrame = WebSocketFrames.Text(ChatEventJson.Pong);

    private void SendFrame(byte[] frame) => _outbox.TrySend(frame);

    /// <summary>Frames and queues JSON built elsewhere (rare paths; the hot ones build frames directly).</summary>
    private void Send(byte[] json) => _outbox.TrySend(WebSocketFrames.Text(json));

    // ---- RoomSubscriber: called by the room loop; each only queues

    public override void Welcome(long lastId) => SendFrame(ChatEventJson.Welcome(User.Name, lastId, Frame));

    public override void Replay(ChatEvent e) =>
        _outbox.TrySend(e.ReplayFrame ??= ChatEventJson.Event(e, replay: true, finish: Frame));

    public override void Replayed(int count, long lastId) => SendFrame(ChatEventJson.Replayed(count, lastId, Frame));

    public override void Roster(IReadOnlyList<string> users) => SendFrame(ChatEventJson.Roster(users, finish: Frame));

    public override void Deliver(ChatEvent e, bool fromThisSubscriber) =>
        _outbox.TrySend(e.LiveFrame ??= ChatEventJson.Event(e, finish: Frame));

    public override void Refuse(ChatError error, string? clientId) => SendFrame(ChatEventJson.Error(error, clientId, Frame));

    public override void Heartbeat() => _outbox.TrySend(WebSocketFrames.EmptyPing);
}
