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
            var replayed = reader.Replay.Select(e => e.Text("text")).ToList();
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
}
