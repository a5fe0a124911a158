using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

/// <summary>Replays that reach the disk are read by the joining connections, not by the room's loop, while the room goes on.</summary>
public sealed class LoopIsFreeTests
{
    [Fact]
    public async Task ReplaysFromDiskWhileOthersChatGiveEveryoneEveryMessageOnceAndInOrder()
    {
        // The archive holds 100 events; 130 private ones push the public p1..p5 onto the disk for anyone but ann and bob.
        await using var server = await ChatServer.StartAsync(new() { ["Chat:ArchiveCapacity"] = "10", ["Chat:MaxReplay"] = "100" });
        using var ann = server.Client(await server.SignInAsync("ann"));
        await server.SignInAsync("bob");
        for (var i = 1; i <= 5; i++) await ann.PostJsonAsync("/api/messages", new { text = $"p{i}" });
        for (var i = 1; i <= 130; i++) await ann.PostJsonAsync("/api/messages", new { text = $"secret {i}", to = "bob" });
        await using var dave = await server.JoinAsync("dave");
        var readers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => server.SignInAsync($"reader{i}")));

        var chat = Task.Run(async () =>
        {
            for (var i = 1; i <= 30; i++) await dave.SendJsonAsync(new { type = "message", text = $"c{i}" });
        });
        var joined = await Task.WhenAll(readers.Select(token => server.ConnectAsync(token, since: 0)));
        await chat;
        await dave.SendJsonAsync(new { type = "message", text = "end" });

        var expected = Enumerable.Range(1, 30).Select(i => $"c{i}").ToList();
        foreach (var reader in joined)
        {
            await using var _ = reader;
            var replayed = reader.Replay.Select(e => e.Text("text") ?? "").ToList();
            Assert.Equal(["p1", "p2", "p3", "p4", "p5"], replayed.Where(t => t is ['p', ..]));
            var seen = replayed.Where(t => t is ['c', ..]).ToList();
            while (true)
            {
                var frame = await reader.NextAsync(f => f.IsMessage());
                if (frame.Text("text") == "end") break;
                seen.Add(frame.Text("text")!);
            }
            Assert.Equal(expected, seen);
            var ids = reader.Replay.Select(e => e.GetProperty("id").GetInt64()).ToList();
            Assert.Equal(ids.Order().Distinct(), ids);
        }
    }

    [Fact]
    public async Task WhileAThousandEventsAreReplayedFromDiskAgainAndAgainEveryChatterGetsEveryEchoAndReply()
    {
        // The archive holds 1,000 events (Math.Max(ArchiveCapacity, MaxReplay)): 1,300 private ones push a thousand public
        // ones onto the disk for anyone but ann and bob, so each since=0 replay below reads about a thousand from disk.
        await using var server = await ChatServer.StartAsync(new() { ["Chat:ArchiveCapacity"] = "10", ["Chat:MaxReplay"] = "1000" });
        using var ann = server.Client(await server.SignInAsync("ann"));
        await server.SignInAsync("bob");
        await PostAllAsync(ann, Enumerable.Range(1, 1000).Select(i => (object)new { text = $"p{i}" }));
        await PostAllAsync(ann, Enumerable.Range(1, 1300).Select(i => (object)new { text = $"secret {i}", to = "bob" }));
        var chatters = new List<TestSocket>();
        for (var k = 0; k < 3; k++) chatters.Add(await server.JoinAsync($"chatter{k}"));
        var replayer = await server.SignInAsync("replayer");
        using var diskEvents = new ServerCounter(server, "chatapp.history.disk_events");
        const int Replays = 5, Messages = 20;

        var replays = Task.Run(async () =>
        {
            for (var r = 0; r < Replays; r++)
            {
                await using var reader = await server.ConnectAsync(replayer, since: 0);
                Assert.Equal(1000, reader.Replay.Count);
                var ids = reader.Replay.Select(e => e.GetProperty("id").GetInt64()).ToList();
                Assert.Equal(ids.Order().Distinct(), ids);
            }
        });
        var chat = chatters.Select((socket, k) => Task.Run(async () =>
        {
            for (var i = 1; i <= Messages; i++) await socket.SendJsonAsync(new { type = "message", text = $"c{k}-{i}" });
        })).ToList();
        await Task.WhenAll(chat.Append(replays));
        for (var k = 0; k < chatters.Count; k++) await chatters[k].SendJsonAsync(new { type = "message", text = $"end{k}" });

        // Every chatter hears every message of every chatter (its own as echoes), each once, in the order it was sent.
        var expected = Enumerable.Range(0, chatters.Count).SelectMany(k => Enumerable.Range(1, Messages).Select(i => $"c{k}-{i}")).ToList();
        foreach (var socket in chatters)
        {
            await using var _ = socket;
            var heard = new List<string>();
            var ends = 0;
            while (ends < chatters.Count)
            {
                var text = (await socket.NextAsync(f => f.IsMessage())).Text("text")!;
                if (text.StartsWith("end")) ends++; else heard.Add(text);
            }
            Assert.Equal(expected, heard.OrderBy(t => t[1]).ToList()); // grouped by sender, each sender's in order
        }
        Assert.True(diskEvents.Total >= Replays * 900, $"the replays read {diskEvents.Total} events from disk");
    }

    /// <summary>Posts every body over HTTP, eight at a time; each answer comes once the event is stored.</summary>
    private static async Task PostAllAsync(HttpClient client, IEnumerable<object> bodies)
    {
        var queue = new ConcurrentQueue<object>(bodies);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (queue.TryDequeue(out var body))
                Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/api/messages", body)).Status);
        }));
    }
}
