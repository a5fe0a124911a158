using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A TCP link between the nodes and their redis-server that can hold what the nodes send: while held, Redis gets
/// nothing and so answers nothing (a stalled Redis, as a paused or overloaded server looks to its clients), and the
/// link keeps a copy of what arrived, so a test can see which commands are waiting. Released, everything held goes
/// on to Redis in order. Unlike stopping redis-server, nothing fails: a held command is answered late, not refused.
/// </summary>
public sealed class RedisLink : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _redisPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly StringBuilder _held = new(); // guarded by _gate
    private TaskCompletionSource _open; // completed while not held; guarded by _gate
    private readonly Task _accepting;

    private RedisLink(TcpListener listener, int redisPort)
    {
        _listener = listener;
        _redisPort = redisPort;
        _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _open.SetResult();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// What nodes are given as Chat:Redis: as <see cref="RedisServer.ConnectionString"/>, but with timeouts longer than
    /// any hold in a test, so a held command waits for the release instead of failing.
    /// </summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=30000,asyncTimeout=30000";

    public static RedisLink Start(RedisServer redis)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RedisLink(listener, redis.Port);
    }

    /// <summary>From now on what the nodes send waits here; what was held before is forgotten by <see cref="HeldCount"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _held.Clear();
            if (_open.Task.IsCompleted) _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Everything held goes on to Redis, in the order it came; nothing is held from now on.</summary>
    public void Release()
    {
        lock (_gate) _open.TrySetResult();
    }

    /// <summary>How often <paramref name="text"/> (a key, a command name) occurs in what the nodes sent since <see cref="Hold"/>.</summary>
    public int HeldCount(string text)
    {
        string held;
        lock (_gate) held = _held.ToString();
        var count = 0;
        for (var at = held.IndexOf(text, StringComparison.Ordinal); at >= 0; at = held.IndexOf(text, at + text.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient node;
            try { node = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = LinkAsync(node);
        }
    }

    /// <summary>One node connection: its bytes to Redis through a queue that a hold stops; Redis's answers straight back.</summary>
    private async Task LinkAsync(TcpClient node)
    {
        using var _ = node;
        using var redis = new TcpClient();
        try
        {
            await redis.ConnectAsync(IPAddress.Loopback, _redisPort, _stop.Token);
            var chunks = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            // Whichever direction ends first ends the link (the usings close both sockets, which ends the other).
            await Task.WhenAny(
                QuietlyAsync(ReadFromNodeAsync(node.GetStream(), chunks.Writer)),
                QuietlyAsync(ForwardToRedisAsync(chunks.Reader, redis.GetStream())),
                QuietlyAsync(redis.GetStream().CopyToAsync(node.GetStream(), _stop.Token)));
        }
        catch (Exception e) when (IsLinkEnd(e)) { }
    }

    private async Task ReadFromNodeAsync(NetworkStream node, ChannelWriter<byte[]> chunks)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await node.ReadAsync(buffer, _stop.Token)) > 0)
        {
            var chunk = buffer.AsSpan(0, read).ToArray();
            // Recorded and queued under one lock, so a chunk counted as held is one the forwarder finds held.
            lock (_gate)
            {
                if (!_open.Task.IsCompleted) _held.Append(Encoding.Latin1.GetString(chunk));
                chunks.TryWrite(chunk);
            }
        }
    }

    private async Task ForwardToRedisAsync(ChannelReader<byte[]> chunks, NetworkStream redis)
    {
        await foreach (var chunk in chunks.ReadAllAsync(_stop.Token))
        {
            Task open;
            lock (_gate) open = _open.Task;
            await open.WaitAsync(_stop.Token);
            await redis.WriteAsync(chunk, _stop.Token);
        }
    }

    private static async Task QuietlyAsync(Task pump)
    {
        try { await pump; }
        catch (Exception e) when (IsLinkEnd(e)) { }
    }

    private static bool IsLinkEnd(Exception e) => e is IOException or SocketException or OperationCanceledException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        Release();
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.WaitAsync(ChatServer.Timeout);
        _stop.Dispose();
    }
}
