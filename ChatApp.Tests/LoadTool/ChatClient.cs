using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ChatApp.LoadTool;

/// <summary>
/// A minimal <c>/ws</c> client (PROTOCOL.md §2) over a raw socket: it parses frames in its own buffer and
/// looks only at the bytes it needs (the type, a join's user, a message's embedded send time), so one core
/// can follow thousands of connections. Server frames are unmasked; ours are masked with a zero key.
/// As <see cref="Dialect.SignalR"/> it speaks the canonical SignalR chat hub instead (<c>/hub?user=NAME</c>, the JSON hub
/// protocol without negotiate: handshake, <c>Send(text)</c>, <c>message</c> invocations), so one client measures
/// both servers in the same run; as <see cref="Dialect.Stomp"/>, ChatApp's <c>/stomp</c> (PROTOCOL.md §4).
/// </summary>
public sealed partial class ChatClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Dialect _dialect;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private byte[] _buffer = new byte[8 * 1024];
    private int _filled;

    private ChatClient(Socket socket, int userIndex, Dialect dialect)
    {
        _socket = socket;
        UserIndex = userIndex;
        _dialect = dialect;
    }

    public int UserIndex { get; }
    public bool Welcomed { get; private set; }

    /// <summary>The welcome's lastId: the newest event this user may see.</summary>
    public long LastId { get; private set; }
    public int Replayed { get; private set; } = -1;
    public long ReplayedLastId { get; private set; }
    public bool Truncated { get; private set; }
    public bool HasRoster { get; private set; }
    public long Messages { get; private set; }
    public long Frames { get; private set; }
    public bool Closed { get; private set; }

    /// <summary>Completes when welcome, replay, replayed and roster have all arrived.</summary>
    public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Storm: which users this connection knows to be online (roster, then joins), by index; null when not tracked.</summary>
    public UserSet? Known { get; init; }

    /// <summary>Called for each live message with its embedded sequence number and send time (Stopwatch ticks).</summary>
    public Action<ChatClient, long, long>? OnMessage { get; init; }

    /// <param name="token">The session token; for a SignalR hub, the user's name.</param>
    public static async Task<ChatClient> ConnectAsync(Uri server, string token, long? since, int userIndex,
        UserSet? known = null, Action<ChatClient, long, long>? onMessage = null, Dialect dialect = Dialect.ChatApp, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, cancellationToken);
            var path = dialect switch
            {
                Dialect.SignalR => $"/hub?user={Uri.EscapeDataString(token)}",
                Dialect.Stomp => $"/stomp?access_token={Uri.EscapeDataString(token)}",
                _ => $"/ws?access_token={Uri.EscapeDataString(token)}{(since is null ? "" : $"&since={since}")}",
            };
            var request = $"GET {path} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                          (dialect == Dialect.Stomp ? "Sec-WebSocket-Protocol: v12.stomp\r\n" : "") + "\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
            var client = new ChatClient(socket, userIndex, dialect) { Known = known, OnMessage = onMessage };
            await client.ReadUpgradeAsync(cancellationToken);
            if (dialect == Dialect.SignalR) await client.SendAsync(0x81, HubHandshake.ToArray());
            if (dialect == Dialect.Stomp)
            {
                await client.SendAsync(0x81, StompConnect.ToArray());
                await client.SendAsync(0x81, StompSubscribe(since));
            }
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task ReadUpgradeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), cancellationToken);
            if (read == 0) throw new IOException("closed during the upgrade");
            _filled += read;
            var end = _buffer.AsSpan(0, _filled).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                if (_filled == _buffer.Length) throw new IOException("upgrade response too long");
                continue;
            }
            if (!_buffer.AsSpan(0, end).StartsWith("HTTP/1.1 101"u8))
                throw new IOException($"upgrade refused: {Encoding.ASCII.GetString(_buffer, 0, Math.Min(end, 200)).Split('\r')[0]}");
            var rest = _filled - (end + 4);
            Buffer.BlockCopy(_buffer, end + 4, _buffer, 0, rest);
            _filled = rest;
            return;
        }
    }

    /// <summary>Reads until the server closes; frames already buffered after the upgrade come first.</summary>
    public async Task RunAsync()
    {
        if (_dialect == Dialect.SignalR) _ = PingHubAsync();
        try
        {
            while (true)
            {
                if (!await ParseAsync()) return;
                if (_filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(_filled), SocketFlags.None);
                if (read == 0) return;
                _filled += read;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException) { }
        finally
        {
            Closed = true;
            Ready.TrySetException(new IOException("the connection closed before its roster"));
        }
    }

    /// <summary>Handles every whole frame in the buffer; false after a close frame.</summary>
    private async ValueTask<bool> ParseAsync()
    {
        var at = 0;
        try
        {
            while (_filled - at >= 2)
            {
                var opcode = _buffer[at] & 0x0F;
                long length = _buffer[at + 1] & 0x7F;
                var header = 2;
                if (length == 126)
                {
                    if (_filled - at < 4) break;
                    length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(at + 2));
                    header = 4;
                }
                else if (length == 127)
                {
                    if (_filled - at < 10) break;
                    length = (long)BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(at + 2));
                    header = 10;
                }
                if (_filled - at < header + length)
                {
                    if (header + length > _buffer.Length) Array.Resize(ref _buffer, (int)Math.Max(_buffer.Length * 2, header + length + 1024));
                    break;
                }
                var payload = new ReadOnlyMemory<byte>(_buffer, at + header, (int)length);
                at += header + (int)length;
                Frames++;
                switch (opcode)
                {
                    case 1: Text(payload.Span); break;
                    case 8: return false;
                    case 9: await SendAsync(0x8A, payload.ToArray()); break;
                }
            }
            return true;
        }
        finally
        {
            if (at > 0)
            {
                Buffer.BlockCopy(_buffer, at, _buffer, 0, _filled - at);
                _filled -= at;
            }
        }
    }

    private static ReadOnlySpan<byte> TypePrefix => "{\"type\":\""u8;

    private void Text(ReadOnlySpan<byte> frame)
    {
        switch (_dialect)
        {
            case Dialect.SignalR: HubRecords(frame); break;
            case Dialect.Stomp: StompFrame(frame); break;
            default: Event(frame); break;
        }
    }

    /// <summary>One of PROTOCOL.md §2.1's JSON objects (over STOMP, a MESSAGE's body).</summary>
    private void Event(ReadOnlySpan<byte> json)
    {
        if (!json.StartsWith(TypePrefix)) return;
        var type = json[TypePrefix.Length..];
        if (type.StartsWith("message\""u8)) { Message(json); return; }
        if (type.StartsWith("system\""u8)) { System(json); return; }
        if (type.StartsWith("welcome\""u8))
        {
            Welcomed = true;
            LastId = Number(json, "\"lastId\":"u8);
            return;
        }
        if (type.StartsWith("replayed\""u8))
        {
            Replayed = (int)Number(json, "\"count\":"u8);
            ReplayedLastId = Number(json, "\"lastId\":"u8);
            Truncated = json.IndexOf("\"truncated\":true"u8) >= 0;
            return;
        }
        if (type.StartsWith("roster\""u8))
        {
            if (Known is { } known)
                foreach (var name in Names(json)) known.Add(name);
            HasRoster = true;
            Ready.TrySetResult();
        }
    }

    private void Message(ReadOnlySpan<byte> json)
    {
        if (!HasRoster) return; // a replayed message
        Messages++;
        if (OnMessage is null) return;
        var at = json.IndexOf("\"text\":\"lt "u8);
        if (at < 0) return;
        var rest = json[(at + 11)..];
        if (!Utf8Parser.TryParse(rest, out long sequence, out var used) || rest.Length <= used + 1) return;
        if (!Utf8Parser.TryParse(rest[(used + 1)..], out long sentTicks, out _)) return;
        OnMessage(this, sequence, sentTicks);
    }

    private void System(ReadOnlySpan<byte> json)
    {
        if (Known is not { } known || !HasRoster) return;
        if (json.IndexOf("\"event\":\"join\""u8) < 0) return;
        var at = json.IndexOf("\"user\":\""u8);
        if (at < 0) return;
        var rest = json[(at + 8)..];
        known.Add(rest[..rest.IndexOf((byte)'"')]);
    }

    private static IEnumerable<byte[]> Names(ReadOnlySpan<byte> roster)
    {
        var list = new List<byte[]>();
        var at = roster.IndexOf("\"users\":["u8);
        if (at < 0) return list;
        var rest = roster[(at + 9)..];
        while (rest.Length > 0 && rest[0] == (byte)'"')
        {
            var end = rest[1..].IndexOf((byte)'"');
            list.Add(rest.Slice(1, end).ToArray());
            rest = rest[(end + 2)..];
            if (rest.Length > 0 && rest[0] == (byte)',') rest = rest[1..];
        }
        return list;
    }

    private static long Number(ReadOnlySpan<byte> json, ReadOnlySpan<byte> field)
    {
        var at = json.IndexOf(field);
        return at >= 0 && Utf8Parser.TryParse(json[(at + field.Length)..], out long value, out _) ? value : 0;
    }

    /// <summary>A public message whose text starts with "lt SEQUENCE SENDTICKS", padded to <paramref name="size"/> characters.</summary>
    public Task SendMessageAsync(long sequence, int size)
    {
        var text = $"lt {sequence} {Stopwatch.GetTimestamp()} ";
        if (text.Length < size) text += new string('x', size - text.Length);
        return SendAsync(0x81, _dialect switch
        {
            Dialect.SignalR => Encoding.UTF8.GetBytes(HubSend(text)),
            Dialect.Stomp => StompSend(text),
            _ => Encoding.UTF8.GetBytes($"{{\"type\":\"message\",\"text\":\"{text}\"}}"),
        });
    }

    private async Task SendAsync(byte opcodeByte, byte[] payload)
    {
        var header = payload.Length < 126 ? 2 : 4;
        var frame = new byte[header + 4 + payload.Length];
        frame[0] = opcodeByte;
        if (header == 2) frame[1] = (byte)(0x80 | payload.Length);
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        payload.CopyTo(frame, header + 4); // a zero masking key leaves the payload as it is
        await _sending.WaitAsync();
        try { await _socket.SendAsync(frame, SocketFlags.None); }
        finally { _sending.Release(); }
    }

    /// <summary>Lets go of a connection whose server is gone (killed): the socket is closed without a word.</summary>
    public void Abandon() => _socket.Dispose();

    public async ValueTask DisposeAsync()
    {
        try { await SendAsync(0x88, [0x03, 0xE8]); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
    }
}

/// <summary>What a <see cref="ChatClient"/> speaks: ChatApp's <c>/ws</c>, the SignalR peer's hub, or ChatApp's <c>/stomp</c>.</summary>
public enum Dialect { ChatApp, SignalR, Stomp }

/// <summary>Which of this run's users (named PREFIX + index) a connection knows to be online: a bit each, so 5,000 connections x 5,000 users stays small.</summary>
public sealed class UserSet(string prefix, int users)
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
    private readonly System.Collections.BitArray _seen = new(users);
    public int Count { get; private set; }
    public bool Complete => Count == _seen.Length;

    public void Add(ReadOnlySpan<byte> name)
    {
        if (!name.StartsWith(_prefix) || !Utf8Parser.TryParse(name[_prefix.Length..], out int index, out var used)
            || used != name.Length - _prefix.Length || index < 0 || index >= _seen.Length || _seen[index]) return;
        _seen[index] = true;
        Count++;
    }
}
