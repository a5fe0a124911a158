using System.Net.Sockets;
using System.Text;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A TCP connection to a test server that sends exactly the bytes a test gives it, and reads HTTP heads and
/// (unmasked, server-sent) WebSocket frames back: for what an HTTP or WebSocket client library would tidy up.
/// Every read gives up after <see cref="ChatServer.Timeout"/>.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> OpenAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port).WaitAsync(ChatServer.Timeout);
        return new RawConnection(client);
    }

    public Task SendAsync(string ascii) => SendAsync(Encoding.Latin1.GetBytes(ascii));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes).AsTask().WaitAsync(ChatServer.Timeout);
        await _stream.FlushAsync().WaitAsync(ChatServer.Timeout);
    }

    /// <summary>Half-closes the connection: the server reads the end of the stream after what was sent.</summary>
    public void EndSending() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>The response head, its final empty line included; fails when the connection closes first.</summary>
    public async Task<string> ReadHeadAsync()
    {
        var head = await ReadHeadOrCloseAsync();
        return head.Length > 0 ? head : throw new IOException("the server closed the connection without a response");
    }

    /// <summary>The response head, or empty when the connection closed before one (a reset counts as closed).</summary>
    public async Task<string> ReadHeadOrCloseAsync()
    {
        while (true)
        {
            var end = IndexOf(_pending, "\r\n\r\n"u8);
            if (end >= 0) return Take(end + 4);
            if (!await FillAsync()) return "";
        }
    }

    /// <summary>The body after <paramref name="head"/>: Content-Length bytes, or the chunks of a chunked body.</summary>
    public async Task<string> ReadBodyAsync(string head)
    {
        if (ContentLength(head) is { } length)
        {
            while (_pending.Count < length) if (!await FillAsync()) throw new IOException("closed inside the body");
            return Take(length);
        }
        var body = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync();
            var size = Convert.ToInt32(line.Split(';')[0], 16);
            if (size == 0) { await ReadLineAsync(); return body.ToString(); }
            while (_pending.Count < size + 2) if (!await FillAsync()) throw new IOException("closed inside a chunk");
            body.Append(Take(size));
            Take(2);
        }
    }

    /// <summary>Whether the server closes the connection once the body after <paramref name="head"/> is sent.</summary>
    public async Task<bool> IsClosedAfterAsync(string head)
    {
        await ReadBodyAsync(head);
        while (_pending.Count == 0) if (!await FillAsync()) return true;
        return false;
    }

    /// <summary>The text of the next text frame from the server; other frames (binary, ping) are passed over.</summary>
    public async Task<string> ReadTextFrameAsync()
    {
        while (true)
        {
            await NeedAsync(2);
            var opcode = _pending[0] & 0x0F;
            long length = _pending[1] & 0x7F;
            var headerBytes = 2;
            if (length == 126) { await NeedAsync(4); length = (_pending[2] << 8) | _pending[3]; headerBytes = 4; }
            else if (length == 127)
            {
                await NeedAsync(10);
                length = 0;
                for (var i = 2; i < 10; i++) length = (length << 8) | _pending[i];
                headerBytes = 10;
            }
            await NeedAsync(headerBytes + (int)length);
            Take(headerBytes);
            var payload = Take((int)length, Encoding.UTF8);
            if (opcode == 1) return payload;
        }
    }

    public Task SendTextFrameAsync(string text) => SendAsync(MaskedText(text));

    /// <summary>One masked text frame, as a client sends it (RFC 6455 §5.3).</summary>
    public static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new List<byte> { 0x81 };
        if (payload.Length < 126) frame.Add((byte)(0x80 | payload.Length));
        else { frame.Add(0x80 | 126); frame.Add((byte)(payload.Length >> 8)); frame.Add((byte)payload.Length); }
        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        frame.AddRange(mask);
        for (var i = 0; i < payload.Length; i++) frame.Add((byte)(payload[i] ^ mask[i % 4]));
        return [.. frame];
    }

    private async Task NeedAsync(int count)
    {
        while (_pending.Count < count) if (!await FillAsync()) throw new IOException("the server closed the connection inside a frame");
    }

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var end = IndexOf(_pending, "\r\n"u8);
            if (end >= 0) { var line = Take(end); Take(2); return line; }
            if (!await FillAsync()) throw new IOException("closed inside a line");
        }
    }

    private async Task<bool> FillAsync()
    {
        var buffer = new byte[16 * 1024];
        int read;
        try { read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(ChatServer.Timeout); }
        catch (IOException) { return false; } // reset by the server
        if (read == 0) return false;
        _pending.AddRange(buffer.AsSpan(0, read));
        return true;
    }

    private string Take(int count, Encoding? encoding = null)
    {
        var text = (encoding ?? Encoding.Latin1).GetString(_pending.GetRange(0, count).ToArray());
        _pending.RemoveRange(0, count);
        return text;
    }

    private static int? ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) return int.Parse(line[15..].Trim());
        return head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? null : 0;
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value)
    {
        for (var i = 0; i + value.Length <= bytes.Count; i++)
        {
            var match = true;
            for (var j = 0; j < value.Length && match; j++) match = bytes[i + j] == value[j];
            if (match) return i;
        }
        return -1;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
