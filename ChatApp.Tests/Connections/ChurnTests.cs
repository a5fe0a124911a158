using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatApp.Tests.Connections;

public sealed class ChurnTests(ITestOutputHelper output)
{
    private const int SteadyClients = 3;
    private const int Messages = 1000;
    private const int ShortLivedConnections = 300;
    private const int ChurnUsers = 20;

    [Fact]
    public async Task UnderConnectionChurnEverySteadyClientGetsEveryEventOnceAndInOrder()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:MaxReplay"] = "100000",
            ["Chat:SignInLimit:Requests"] = "100000",
        });
        var steady = new List<TestSocket>();
        for (var i = 0; i < SteadyClients; i++) steady.Add(await server.JoinAsync($"steady{i}"));
        await using var sender = await server.JoinAsync("sender");
        var churnTokens = new List<string>();
        for (var i = 0; i < ChurnUsers; i++) churnTokens.Add(await server.SignInAsync($"churn{i}"));

        // Each steady client records the id of every live event until the final marker.
        var received = steady.Select(socket => Task.Run(async () =>
        {
            var ids = new List<long>();
            while (true)
            {
                var frame = await socket.ReceiveJsonAsync(TimeSpan.FromSeconds(60));
                if (!frame.TryGetProperty("id", out var id)) continue;
                ids.Add(id.GetInt64());
                if (frame.IsMessage() && frame.Text("text") == "done") return ids;
            }
        })).ToList();

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++) await sender.SendJsonAsync(new { type = "message", text = $"steady {i}" });
        });
        var kinds = new int[4];
        var churning = Task.Run(async () =>
        {
            await Parallel.ForAsync(0, ShortLivedConnections, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, _) =>
            {
                var token = churnTokens[n % ChurnUsers];
                var kind = n % 4;
                Interlocked.Increment(ref kinds[kind]);
                var uri = new Uri($"ws://127.0.0.1:{server.Port}/ws?access_token={Uri.EscapeDataString(token)}{(kind == 1 ? "&since=0" : "")}");
                var socket = await TestSocket.ConnectAsync(uri);
                try
                {
                    switch (kind)
                    {
                        case 0: socket.Abort(); break; // dropped before reading anything
                        case 1: await socket.ReceiveAsync(); socket.Abort(); break; // dropped mid-replay
                        case 2: await socket.ReadReplayAsync(); await socket.CloseAsync(); break; // a clean visit
                        default: // says something and vanishes
                            await socket.ReadReplayAsync();
                            await socket.SendJsonAsync(new { type = "message", text = $"churn {n}" });
                            socket.Abort();
                            break;
                    }
                }
                finally { await socket.DisposeAsync(); }
            });
        });
        await Task.WhenAll(sending, churning).WaitAsync(TimeSpan.FromSeconds(120));
        await sender.SendJsonAsync(new { type = "message", text = "done" });
        var results = await Task.WhenAll(received).WaitAsync(TimeSpan.FromSeconds(120));

        using var http = server.Client(sender.Token);
        var history = (await http.MessagesAsync("?since=0&limit=100000")).Select(e => e.GetProperty("id").GetInt64()).ToList();
        for (var i = 0; i < SteadyClients; i++)
        {
            var after = steady[i].Welcome.GetProperty("lastId").GetInt64();
            var expected = history.Where(id => id > after && id <= results[i][^1]).ToList();
            output.WriteLine($"steady{i}: {results[i].Count} live events, history expects {expected.Count}");
            Assert.Equal(expected, results[i]); // no gap, no duplicate, in order
        }
        output.WriteLine($"short-lived connections by kind (abort, abort mid-replay, clean close, send and abort): {string.Join(", ", kinds)}; history {history.Count} events");
        foreach (var socket in steady) await socket.DisposeAsync();
    }
}
