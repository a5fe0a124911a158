using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatApp.Tests.Files;

/// <summary>
/// Relaying one 25 MiB file to 50 connections must not raise the server's peak working set (VmHWM) by more
/// than three times the file: the bytes are streamed through disk, never held once per recipient.
/// Run with <c>CHATAPP_BENCH=1 dotnet test ChatApp.Tests --filter FileRelayMemoryBenchmark</c>.
/// </summary>
public sealed class FileRelayMemoryBenchmark(ITestOutputHelper output)
{
    private const int FileBytes = 25 * 1024 * 1024;
    private const int Receivers = 50;
    private const double AllowedRatio = 3.0;
    private static readonly TimeSpan RelayTimeout = TimeSpan.FromMinutes(5);

    [BenchmarkFact]
    public async Task RelayingA25MiBFileTo50ClientsRaisesPeakMemoryByLessThanThreeTimesTheFile()
    {
        await using var server = await ServerProcess.StartAsync("--Chat:RateLimit:Messages=100000");
        var uploader = await ConnectAsync(server, "uploader");
        var receivers = new List<ClientWebSocket>();
        for (var i = 0; i < Receivers; i++) receivers.Add(await ConnectAsync(server, $"reader{i}"));

        // A small relay first, so that JIT and first-use allocations are not counted against the big one.
        await RelayAsync(uploader, receivers, RandomBytes(1024 * 1024), "warm-up.bin");
        var before = server.PeakWorkingSetBytes();

        var file = RandomBytes(FileBytes);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        await RelayAsync(uploader, receivers, file, "big.bin");
        elapsed.Stop();
        var after = server.PeakWorkingSetBytes();

        var rise = after - before;
        var ratio = (double)rise / FileBytes;
        var report = $"File relay: {FileBytes / 1048576.0:F0} MiB to {Receivers} clients in {elapsed.Elapsed.TotalSeconds:F1} s; "
            + $"server peak working set {before / 1048576.0:F1} MiB -> {after / 1048576.0:F1} MiB, "
            + $"rise {rise / 1048576.0:F1} MiB = {ratio:F2}x the file (limit {AllowedRatio}x)";
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.True(ratio <= AllowedRatio, report);

        foreach (var socket in receivers.Append(uploader)) socket.Abort();
    }

    private static async Task RelayAsync(ClientWebSocket uploader, List<ClientWebSocket> receivers, byte[] file, string name)
    {
        using var timeout = new CancellationTokenSource(RelayTimeout);
        var expected = Convert.ToHexString(SHA256.HashData(file));
        var readers = receivers.Select(r => ReceiveFileHashAsync(r, name, timeout.Token)).ToList();
        var header = JsonSerializer.Serialize(new { type = "file", name, contentType = "application/octet-stream", size = file.Length });
        await uploader.SendAsync(Encoding.UTF8.GetBytes(header), WebSocketMessageType.Text, true, timeout.Token);
        const int fragment = 64 * 1024;
        for (var offset = 0; offset < file.Length; offset += fragment)
        {
            var count = Math.Min(fragment, file.Length - offset);
            await uploader.SendAsync(file.AsMemory(offset, count), WebSocketMessageType.Binary, offset + count == file.Length, timeout.Token);
        }
        foreach (var hash in await Task.WhenAll(readers)) Assert.Equal(expected, hash);
        // The uploader's echo: its connection is drained too.
        await ReceiveFileHashAsync(uploader, name, timeout.Token);
    }

    /// <summary>Waits for the named file event and hashes its binary frame as it streams in (nothing kept per client).</summary>
    private static async Task<string?> ReceiveFileHashAsync(ClientWebSocket socket, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var (type, text) = await ReceiveTextAsync(socket, buffer, cancellationToken);
            if (type != WebSocketMessageType.Text) continue;
            using var frame = JsonDocument.Parse(text);
            var root = frame.RootElement;
            if (root.GetProperty("type").GetString() != "file" || root.GetProperty("name").GetString() != name) continue;
            if (!root.GetProperty("binary").GetBoolean()) return null;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
                hash.AppendData(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            return Convert.ToHexString(hash.GetHashAndReset());
        }
    }

    /// <summary>One whole message: its text, or (for a stray binary message) an empty string after skipping it.</summary>
    private static async Task<(WebSocketMessageType Type, string Text)> ReceiveTextAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException("closed by the server");
            if (result.MessageType == WebSocketMessageType.Text) message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return (result.MessageType, Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
    }

    private static async Task<ClientWebSocket> ConnectAsync(ServerProcess server, string name)
    {
        var token = await server.SignInAsync(name);
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(ChatServer.Timeout);
        await socket.ConnectAsync(server.WebSocketUri(token), timeout.Token);
        return socket;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
