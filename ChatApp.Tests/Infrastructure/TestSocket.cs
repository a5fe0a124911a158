using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ChatApp.Tests.Infrastructure;

/// <summary>A real WebSocket client for the <c>/ws</c> protocol; every wait has a timeout, so no test can hang.</summary>
public sealed class TestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private TestSocket(ClientWebSocket socket) => _socket = socket;

    public string? Token { get; set; }
    public JsonElement Welcome { get; private set; }
    public List<JsonElement> Replay { get; } = [];
    public JsonElement Replayed { get; private set; }
    public JsonElement Roster { get; private set; }
    public WebSocketState State => _socket.State;

    public static async Task<TestSocket> ConnectAsync(Uri uri, string? origin = null, string? subProtocol = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        if (subProtocol is not null) socket.Options.AddSubProtocol(subProtocol);
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        await socket.ConnectAsync(uri, cts.Token);
        return new TestSocket(socket);
    }

    /// <summary>Reads welcome, the replayed events, replayed and roster.</summary>
    public async Task ReadReplayAsync()
    {
        Welcome = await ExpectAsync("welcome");
        while (true)
        {
            var frame = await ReceiveJsonAsync();
            if (Type(frame) == "replayed") { Replayed = frame; break; }
            Replay.Add(frame);
        }
        Roster = await ExpectAsync("roster");
    }

    public Task SendJsonAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text)
    {
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    public async Task SendBinaryAsync(ReadOnlyMemory<byte> bytes, int fragmentBytes = 64 * 1024)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        if (bytes.Length == 0) { await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, cts.Token); return; }
        for (var offset = 0; offset < bytes.Length; offset += fragmentBytes)
        {
            var count = Math.Min(fragmentBytes, bytes.Length - offset);
            await _socket.SendAsync(bytes.Slice(offset, count), WebSocketMessageType.Binary, offset + count == bytes.Length, cts.Token);
        }
    }

    /// <summary>Sends the start of a binary message and leaves it unfinished (a client cut off mid-file).</summary>
    public async Task SendFragmentAsync(ReadOnlyMemory<byte> bytes, int fragmentBytes = 64 * 1024)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var offset = 0; offset < bytes.Length; offset += fragmentBytes)
            await _socket.SendAsync(bytes.Slice(offset, Math.Min(fragmentBytes, bytes.Length - offset)), WebSocketMessageType.Binary, false, cts.Token);
    }

    /// <summary>The next frame: JSON for text, or the bytes of a binary frame (as <see cref="Binary"/>).</summary>
    public async Task<(JsonElement? Json, byte[]? Binary)> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ChatServer.Timeout);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(chunk, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException("closed by the server");
            buffer.Write(chunk, 0, result.Count);
        } while (!result.EndOfMessage);
        if (result.MessageType == WebSocketMessageType.Binary) return (null, buffer.ToArray());
        return (JsonDocument.Parse(buffer.ToArray()).RootElement.Clone(), null);
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        var (json, binary) = await ReceiveAsync(timeout);
        Assert.True(json is not null, $"expected a text frame, got {binary?.Length} binary bytes");
        return json!.Value;
    }

    /// <summary>Skips frames until one of <paramref name="type"/> that matches <paramref name="match"/>.</summary>
    public async Task<JsonElement> ExpectAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? ChatServer.Timeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no '{type}' frame in time");
            var (json, _) = await ReceiveAsync(left);
            if (json is { } frame && Type(frame) == type && (match is null || match(frame))) return frame;
        }
    }

    /// <summary>Waits for the message with this text (skipping everything else).</summary>
    public Task<JsonElement> ExpectMessageAsync(string text) =>
        ExpectAsync("message", f => f.GetProperty("text").GetString() == text);

    public static string? Type(JsonElement frame) =>
        frame.TryGetProperty("type", out var t) ? t.GetString() : null;

    public async Task CloseAsync()
    {
        if (_socket.State != WebSocketState.Open) return;
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token); }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
    }

    /// <summary>Drops the TCP connection without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket.Dispose();
    }
}
