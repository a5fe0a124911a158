using System.Net.WebSockets;
using System.Text;

namespace ChatApp.Tests.Infrastructure;

/// <summary>A STOMP client written byte by byte over a real WebSocket, for frame-level edge cases; every wait bounded.</summary>
public sealed class RawStompClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private RawStompClient(ClientWebSocket socket) => _socket = socket;

    public string? SubProtocol => _socket.SubProtocol;
    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Heart-beats (EOL-only messages) received so far.</summary>
    public int HeartBeats { get; private set; }

    public static Task<RawStompClient> OpenAsync(ChatServer server, string[]? subProtocols = null, string? origin = null, string query = "") =>
        OpenAsync(server.Port, subProtocols, origin, query);

    /// <summary>Opens a STOMP socket to the server listening on <paramref name="port"/> (a node of a scaled chat).</summary>
    public static async Task<RawStompClient> OpenAsync(int port, string[]? subProtocols = null, string? origin = null, string query = "")
    {
        var socket = new ClientWebSocket();
        foreach (var p in subProtocols ?? ["v12.stomp", "v11.stomp", "v10.stomp"]) socket.Options.AddSubProtocol(p);
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/stomp{query}"), cts.Token);
        return new RawStompClient(socket);
    }

    /// <summary>Opens and CONNECTs; returns the client after its CONNECTED frame.</summary>
    public static async Task<(RawStompClient Client, RawFrame Connected)> ConnectAsync(ChatServer server, string login, string passcode,
        string acceptVersion = "1.2,1.1,1.0", string command = "CONNECT", string heartBeat = "0,0", string[]? subProtocols = null) =>
        await ConnectAsync(server.Port, login, passcode, acceptVersion, command, heartBeat, subProtocols);

    public static async Task<(RawStompClient Client, RawFrame Connected)> ConnectAsync(int port, string login, string passcode,
        string acceptVersion = "1.2,1.1,1.0", string command = "CONNECT", string heartBeat = "0,0", string[]? subProtocols = null)
    {
        var client = await OpenAsync(port, subProtocols);
        await client.SendAsync($"{command}\naccept-version:{acceptVersion}\nlogin:{login}\npasscode:{passcode}\nheart-beat:{heartBeat}\n\n\0");
        var connected = await client.ReceiveAsync();
        Assert.True(connected.Command == "CONNECTED", $"expected CONNECTED, got {connected}");
        return (client, connected);
    }

    public Task SendAsync(string raw, bool binary = false) => SendBytesAsync(Encoding.UTF8.GetBytes(raw), binary);

    public async Task SendBytesAsync(byte[] bytes, bool binary = false)
    {
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        await _socket.SendAsync(bytes, binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next frame (heart-beats counted and skipped); a close is returned as a frame with command <c>(close)</c>.</summary>
    public async Task<RawFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ChatServer.Timeout);
        while (true)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            ValueWebSocketReceiveResult result;
            try
            {
                do
                {
                    result = await _socket.ReceiveAsync(chunk.AsMemory(), cts.Token);
                    if (result.MessageType == WebSocketMessageType.Close) return new RawFrame("(close)", [], "");
                    buffer.Write(chunk, 0, result.Count);
                } while (!result.EndOfMessage);
            }
            catch (WebSocketException) { return new RawFrame("(close)", [], ""); }
            var text = Encoding.UTF8.GetString(buffer.ToArray());
            if (text.Trim('\r', '\n').Length == 0) { HeartBeats++; continue; }
            return RawFrame.Parse(text);
        }
    }

    /// <summary>Answers each server heart-beat with one of its own until <paramref name="count"/> have come (time passing, measured by the server's own beats).</summary>
    public async Task EchoHeartBeatsAsync(int count)
    {
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        var chunk = new byte[1024];
        for (var seen = 0; seen < count;)
        {
            var result = await _socket.ReceiveAsync(chunk.AsMemory(), cts.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            if (result.EndOfMessage && Encoding.UTF8.GetString(chunk, 0, result.Count) == "\n")
            {
                seen++;
                await SendAsync("\n");
            }
        }
    }

    /// <summary>Skips frames until one matching <paramref name="match"/>.</summary>
    public async Task<RawFrame> ExpectAsync(Func<RawFrame, bool> match)
    {
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no matching STOMP frame in time");
            var frame = await ReceiveAsync(left);
            if (match(frame)) return frame;
            if (frame.Command == "(close)") throw new InvalidOperationException("closed before the expected frame");
        }
    }

    public Task<RawFrame> ExpectTextAsync(string text) =>
        ExpectAsync(f => f.Command == "MESSAGE" && f.Json is { } j && j.TryGetProperty("text", out var t) && t.GetString() == text);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token); }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        }
        _socket.Dispose();
    }
}

/// <summary>A server frame as the raw client read it: header values as sent (still escaped).</summary>
public sealed record RawFrame(string Command, List<KeyValuePair<string, string>> Headers, string Body)
{
    public string? this[string name] => Headers.FirstOrDefault(h => h.Key == name).Value;

    public System.Text.Json.JsonElement? Json =>
        Body.StartsWith('{') ? System.Text.Json.JsonDocument.Parse(Body).RootElement.Clone() : null;

    public static RawFrame Parse(string text)
    {
        text = text.TrimStart('\r', '\n');
        var headEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.True(headEnd >= 0, $"no blank line in frame: {text}");
        var lines = text[..headEnd].Split('\n');
        var headers = lines.Skip(1).Select(l => { var c = l.IndexOf(':'); return new KeyValuePair<string, string>(l[..c], l[(c + 1)..]); }).ToList();
        var body = text[(headEnd + 2)..];
        Assert.True(body.EndsWith('\0'), "frame does not end with NUL");
        return new RawFrame(lines[0], headers, body[..^1]);
    }

    public override string ToString() => $"{Command} {string.Join(" ", Headers.Select(h => $"{h.Key}:{h.Value}"))} {Body}";
}
