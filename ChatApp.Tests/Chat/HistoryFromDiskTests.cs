using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

/// <summary>History older than the room keeps in memory is read from SQLite by the asker, off the room's loop, and meets memory without a gap or a repeat.</summary>
public sealed class HistoryFromDiskTests
{
    // The archive holds Math.Max(ArchiveCapacity, MaxReplay) events: 10 here.
    private static readonly Dictionary<string, string?> SmallArchive = new() { ["Chat:ArchiveCapacity"] = "10", ["Chat:MaxReplay"] = "10" };

    private static string? Text(JsonElement e) => e.Text("text");

    [Fact]
    public async Task ASinceReplayWhosePublicEventsArePastTheArchiveReadsThemFromDiskWithTheirWelcomeLastId()
    {
        await using var server = await ChatServer.StartAsync(SmallArchive);
        using var ann = server.Client(await server.SignInAsync("ann"));
        await server.SignInAsync("bob");
        var publicIds = new List<long>();
        for (var i = 1; i <= 3; i++)
            publicIds.Add((await ann.PostJsonAsync("/api/messages", new { text = $"p{i}" })).Body.GetProperty("id").GetInt64());
        // Thirty private messages carl may not see push the public ones out of memory.
        for (var i = 1; i <= 30; i++) await ann.PostJsonAsync("/api/messages", new { text = $"secret {i}", to = "bob" });

        await using var carl = await server.JoinAsync("carl", since: 0);

        Assert.Equal(["p1", "p2", "p3"], carl.Replay.Select(Text));
        Assert.Equal(publicIds[^1], carl.Welcome.GetProperty("lastId").GetInt64());
        Assert.Equal(3, carl.Replayed.GetProperty("count").GetInt32());
        Assert.Equal(publicIds[^1], carl.Replayed.GetProperty("lastId").GetInt64());
        // Live events follow the replay as usual: carl's own join first.
        var join = await carl.ExpectAsync("system");
        Assert.Equal("carl", join.Text("user"));
    }

    [Fact]
    public async Task PagingThroughApiMessagesReadsTheOldPagesFromDiskAndJoinsMemoryWithoutAGap()
    {
        await using var server = await ChatServer.StartAsync(SmallArchive);
        using var ann = server.Client(await server.SignInAsync("ann"));
        var ids = new List<long>();
        for (var i = 1; i <= 30; i++)
            ids.Add((await ann.PostJsonAsync("/api/messages", new { text = $"m{i}" })).Body.GetProperty("id").GetInt64());

        var oldest = await ann.MessagesAsync("?since=0&limit=5");
        var across = await ann.MessagesAsync($"?since={ids[14]}&limit=10");
        var newest = await ann.MessagesAsync($"?since={ids[24]}");

        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], oldest.Select(Text));
        Assert.Equal(Enumerable.Range(16, 10).Select(i => $"m{i}"), across.Select(Text));
        Assert.Equal(Enumerable.Range(26, 5).Select(i => $"m{i}"), newest.Select(Text));
    }

    [Fact]
    public async Task TheDefaultReplayAfterARestartStillFindsTalkOlderThanTheNoticesInMemory()
    {
        await using var server = await ChatServer.StartAsync(new(SmallArchive) { ["Chat:ReplayCount"] = "3" });
        using var ann = server.Client(await server.SignInAsync("ann"));
        for (var i = 1; i <= 5; i++) await ann.PostJsonAsync("/api/messages", new { text = $"t{i}" });
        // Joins (and the parts that follow) fill the archive with notices, which a default replay leaves out.
        for (var i = 0; i < 8; i++) await (await server.JoinAsync($"passer{i}")).DisposeAsync();
        await using (var watcher = await server.JoinAsync("watcher"))
            await watcher.NextAsync(f => f.Text("user") == "watcher" && f.Text("event") == "join");
        await server.RestartAsync();

        await using var back = await server.JoinAsync("reader");

        Assert.Equal(["t3", "t4", "t5"], back.Replay.Select(Text));
    }

    [Fact]
    public async Task PrivateTalkBetweenOthersLeavesTheDefaultReplayInMemoryButNotAReadersOwnPrivateMessageItLetGo()
    {
        // The room holds talk beyond its 10 newest events: public talk and private conversation apart, 2,000 of each.
        await using var server = await ChatServer.StartAsync(new(SmallArchive) { ["Chat:ReplayCount"] = "3" });
        using var ann = server.Client(await server.SignInAsync("ann"));
        var dan = await server.SignInAsync("dan");
        for (var i = 1; i <= 5; i++) await ann.PostJsonAsync("/api/messages", new { text = $"t{i}" });
        await ann.PostJsonAsync("/api/messages", new { text = "for dan", to = "dan" });
        using var filler = server.Client(await server.SignInAsync("filler"));
        var sink = await server.SignInAsync("sink");
        var carl = await server.SignInAsync("carl");
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= 2_600)
                await filler.PostJsonAsync("/api/messages", new { text = "filler", to = "sink" });
        }));
        // Something public last, so that the welcome's lastId is in memory too.
        await ann.PostJsonAsync("/api/messages", new { text = "t6" });

        for (var restarted = 0; restarted < 2; restarted++)
        {
            using var reads = new ServerCounter(server, "chatapp.history.disk_reads");
            await using (var reader = await server.ConnectAsync(carl))
                Assert.Equal(["t4", "t5", "t6"], reader.Replay.Select(Text));
            await using (var reader = await server.ConnectAsync(sink))
                Assert.Equal(["filler", "filler", "t6"], reader.Replay.Select(Text));
            // Nobody's private talk but the sink's went by: both replays came from memory.
            Assert.Equal(0, reads.Total);

            // Dan's private message went out of memory with the flood: memory knows it had one of his, and the disk answers.
            await using (var reader = await server.ConnectAsync(dan))
                Assert.Equal(["t5", "for dan", "t6"], reader.Replay.Select(Text));
            Assert.True(reads.Total >= 1, $"dan's replay read the disk {reads.Total} times");
            await server.RestartAsync();
        }
    }
}
