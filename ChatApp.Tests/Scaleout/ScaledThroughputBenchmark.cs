using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ChatApp.Tests.Scaleout;

/// <summary>
/// Messages per second and p99 latency from one sender to readers, on one node and on two nodes over Redis (half
/// the readers on each), in the same run; and what one event costs Redis (commands, bytes in and out).
/// Figures only, no bound: run with <c>CHATAPP_BENCH=1 dotnet test ChatApp.Tests --filter ScaledThroughputBenchmark</c>.
/// </summary>
public sealed class ScaledThroughputBenchmark(ITestOutputHelper output)
{
    private const int Messages = 2000;
    private const int Readers = 8;

    [BenchmarkFact]
    public async Task OneSenderToReadersOnOneNodeAndOnTwoNodesOverRedis()
    {
        await using (var single = await ServerProcess.StartAsync("--Chat:RateLimit:Messages=1000000"))
        {
            var sender = await single.SignInAsync("sender");
            var readers = new List<Uri>();
            for (var i = 0; i < Readers; i++) readers.Add(single.WebSocketUri(await single.SignInAsync($"reader{i}")));
            Report("one node", await RunAsync(single.WebSocketUri(sender), readers));
        }

        await using var chat = await ScaledChat.StartAsync(processes: true, settings: "--Chat:RateLimit:Messages=1000000");
        using var redis = await ConnectionMultiplexer.ConnectAsync(chat.Redis.ConnectionString + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var token = await chat.SignInAsync(0, "sender");
        var uris = new List<Uri>();
        for (var i = 0; i < Readers; i++) uris.Add(chat[i % 2].WebSocketUri(await chat.SignInAsync(i % 2, $"reader{i}")));
        var before = await StatsAsync(server);
        Report("two nodes, readers on both", await RunAsync(chat[0].WebSocketUri(token), uris));
        var after = await StatsAsync(server);
        foreach (var (name, value) in after)
            output.WriteLine($"redis per event: {name} {(value - before.GetValueOrDefault(name)) / (double)Messages:F2}");
    }

    private void Report(string what, (double PerSecond, double P50, double P99) figures) =>
        output.WriteLine($"{what}: {figures.PerSecond:F0} messages/s delivered to each of {Readers} readers; latency p50 {figures.P50:F1} ms, p99 {figures.P99:F1} ms");

    /// <summary>Sends <see cref="Messages"/> numbered messages and times each reader's receipt of each.</summary>
    private static async Task<(double, double, double)> RunAsync(Uri sender, List<Uri> readers)
    {
        var sockets = new List<ClientWebSocket>();
        foreach (var uri in readers) sockets.Add(await OpenAsync(uri));
        var sending = await OpenAsync(sender);
        var sentAt = new long[Messages];
        var latencies = new List<double>();
        var receiving = sockets.Select(s => Task.Run(async () =>
        {
            var mine = new List<double>(Messages);
            var buffer = new byte[64 * 1024];
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            while (mine.Count < Messages)
            {
                var result = await s.ReceiveAsync(buffer, cts.Token);
                if (result.MessageType != WebSocketMessageType.Text) continue;
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                if (!text.Contains("\"bench ")) continue;
                var index = int.Parse(JsonDocument.Parse(text).RootElement.GetProperty("text").GetString()!["bench ".Length..]);
                mine.Add(Stopwatch.GetElapsedTime(sentAt[index]).TotalMilliseconds);
            }
            return mine;
        })).ToList();

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Messages; i++)
        {
            sentAt[i] = Stopwatch.GetTimestamp();
            await sending.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "message", text = $"bench {i}" })), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        foreach (var mine in await Task.WhenAll(receiving)) latencies.AddRange(mine);
        clock.Stop();
        latencies.Sort();
        foreach (var s in sockets.Append(sending)) s.Abort();
        return (Messages / clock.Elapsed.TotalSeconds, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)]);
    }

    private static async Task<ClientWebSocket> OpenAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        await socket.ConnectAsync(uri, cts.Token);
        return socket;
    }

    /// <summary>Commands by name (calls) and bytes in and out, from INFO.</summary>
    private static async Task<Dictionary<string, long>> StatsAsync(IServer server)
    {
        var figures = new Dictionary<string, long>();
        foreach (var group in await server.InfoAsync("commandstats"))
            foreach (var (key, value) in group)
                figures[key.Replace("cmdstat_", "calls ")] = long.Parse(value.Split(',')[0].Split('=')[1]);
        foreach (var group in await server.InfoAsync("stats"))
            foreach (var (key, value) in group)
                if (key is "total_net_input_bytes" or "total_net_output_bytes") figures[key] = long.Parse(value);
        return figures;
    }
}
