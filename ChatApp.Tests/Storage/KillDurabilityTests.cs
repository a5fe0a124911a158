using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatApp.Tests.Storage;

/// <summary>PROTOCOL.md §2: an echo means the event survives the process being killed, and an id once sent is never given to another event.</summary>
public sealed class KillDurabilityTests(ITestOutputHelper output)
{
    private const int Clients = 10;
    private const int MessagesPerClient = 300;
    private const int Rounds = 3;
    private static readonly string[] Settings = ["--Chat:RateLimit:Messages=1000000", "--Chat:MaxReplay=100000", "--Chat:SignInLimit:Requests=100000"];

    [Fact]
    public async Task EveryEchoedMessageSurvivesKillNineAndNoIdIsEverReused()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatapp-tests", Guid.NewGuid().ToString("N"));
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        // Every message any client saw, by id: an id seen twice must carry the same text.
        var seen = new ConcurrentDictionary<long, string>();
        var echoed = new ConcurrentDictionary<long, string>();
        var conflicts = new ConcurrentBag<string>();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var server = await ServerProcess.StartInAsync(dataDir, Settings);
                try
                {
                    var missing = await MissingFromHistoryAsync(server, echoed);
                    if (round > 0) output.WriteLine($"round {round - 1}: after restart, {missing.Count} of {echoed.Count} echoed messages missing");
                    Assert.Empty(missing);
                    var echoedBefore = echoed.Count;
                    var killAfter = random.Next(100, Clients * MessagesPerClient * 3 / 4);
                    await BurstAndKillAsync(server, round, killAfter, seen, echoed, conflicts);
                    output.WriteLine($"round {round}: killed after {echoed.Count - echoedBefore} echoes (target {killAfter})");
                }
                finally
                {
                    await server.DisposeAsync(keepData: true);
                }
            }
            await using var last = await ServerProcess.StartInAsync(dataDir, Settings);
            var lost = await MissingFromHistoryAsync(last, echoed);
            output.WriteLine($"round {Rounds - 1}: after restart, {lost.Count} of {echoed.Count} echoed messages missing");
            Assert.Empty(lost);
            Assert.Empty(conflicts);
            await ResumeSeesEveryLaterMessageAsync(last, seen);
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task BurstAndKillAsync(ServerProcess server, int round, int killAfter,
        ConcurrentDictionary<long, string> seen, ConcurrentDictionary<long, string> echoed, ConcurrentBag<string> conflicts)
    {
        var sockets = new List<TestSocket>();
        for (var c = 0; c < Clients; c++)
        {
            var socket = await TestSocket.ConnectAsync(server.WebSocketUri(await server.SignInAsync($"r{round}c{c}")));
            await socket.ReadReplayAsync();
            sockets.Add(socket);
        }
        var echoes = 0;
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = sockets.Select((socket, c) => (Task)Task.Run(async () =>
        {
            var me = $"r{round}c{c}";
            var receiving = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var frame = await socket.ReceiveJsonAsync(TimeSpan.FromSeconds(30));
                        if (TestSocket.Type(frame) != "message") continue;
                        var id = frame.GetProperty("id").GetInt64();
                        var text = frame.GetProperty("text").GetString()!;
                        if (seen.GetOrAdd(id, text) != text) conflicts.Add($"id {id}: '{seen[id]}' and '{text}'");
                        if (frame.GetProperty("from").GetString() != me) continue;
                        echoed[id] = text;
                        if (Interlocked.Increment(ref echoes) >= killAfter) enough.TrySetResult();
                    }
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException) { }
            });
            try
            {
                for (var m = 0; m < MessagesPerClient; m++)
                    await socket.SendJsonAsync(new { type = "message", text = $"{me} m{m}", clientId = $"{me}-{m}" });
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or IOException) { }
            await receiving;
        })).ToList();
        await enough.Task.WaitAsync(TimeSpan.FromSeconds(120));
        await server.KillAsync();
        await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var socket in sockets) { socket.Abort(); await socket.DisposeAsync(); }
    }

    /// <summary>The echoed ids that history lacks, or holds with other text.</summary>
    private static async Task<List<long>> MissingFromHistoryAsync(ServerProcess server, ConcurrentDictionary<long, string> echoed)
    {
        using var client = server.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.SignInAsync($"reader{Guid.NewGuid():N}"[..20]));
        var history = await client.GetFromJsonAsync<JsonElement[]>("/api/messages?since=0&limit=100000");
        var stored = history!.Where(e => TestSocket.Type(e) == "message")
            .ToDictionary(e => e.GetProperty("id").GetInt64(), e => e.GetProperty("text").GetString());
        return echoed.Where(kv => !stored.TryGetValue(kv.Key, out var text) || text != kv.Value).Select(kv => kv.Key).ToList();
    }

    /// <summary>A client resuming with since=&lt;the newest id it saw&gt; gets every message sent after the restart, under ids never seen before.</summary>
    private static async Task ResumeSeesEveryLaterMessageAsync(ServerProcess server, ConcurrentDictionary<long, string> seen)
    {
        var newest = seen.Keys.DefaultIfEmpty(0).Max();
        await using var resumed = await TestSocket.ConnectAsync(new Uri(server.WebSocketUri(await server.SignInAsync("resumer")) + $"&since={newest}"));
        await resumed.ReadReplayAsync();
        await using var sender = await TestSocket.ConnectAsync(server.WebSocketUri(await server.SignInAsync("after")));
        await sender.ReadReplayAsync();
        const int count = 20;
        for (var i = 0; i < count; i++) await sender.SendJsonAsync(new { type = "message", text = $"after {i}" });
        var got = new List<(long Id, string Text)>();
        while (got.Count < count)
        {
            var frame = await resumed.NextAsync(f => f.IsMessage() && f.GetProperty("from").GetString() == "after");
            got.Add((frame.GetProperty("id").GetInt64(), frame.GetProperty("text").GetString()!));
        }
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"after {i}"), got.Select(g => g.Text));
        Assert.All(got, g => Assert.False(seen.ContainsKey(g.Id), $"id {g.Id} was already used before the kill"));
        Assert.All(got, g => Assert.True(g.Id > newest));
    }
}
