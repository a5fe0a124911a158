using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ChatApp.Tests.Chat;

public sealed class HistoryTests
{
    private static string Text(JsonElement e) => e.TryGetProperty("text", out var t) ? t.GetString()! : "";

    [Fact]
    public async Task ANewConnectionReplaysTheLastReplayCountMessagesMarkedReplayThenReplayedThenRoster()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:ReplayCount"] = "5" });
        await using (var jim = await server.JoinAsync("jim"))
        {
            for (var i = 1; i <= 8; i++) await jim.SendJsonAsync(new { type = "message", text = $"m{i}" });
            await jim.ExpectMessageAsync("m8");
        }
        await using var ann = await server.JoinAsync("ann");
        Assert.Equal(["m4", "m5", "m6", "m7", "m8"], ann.Replay.Select(Text));
        Assert.All(ann.Replay, e => Assert.True(e.GetProperty("replay").GetBoolean()));
        Assert.Equal(5, ann.Replayed.GetProperty("count").GetInt32());
        Assert.Equal(ann.Replay[^1].GetProperty("id").GetInt64(), ann.Replayed.GetProperty("lastId").GetInt64());
        Assert.True(ann.Welcome.GetProperty("lastId").GetInt64() >= ann.Replayed.GetProperty("lastId").GetInt64());
    }

    [Fact]
    public async Task SinceReplaysEveryVisibleEventAfterItSoAReconnectMissesNothingAndSeesNothingTwice()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:ReplayCount"] = "2" });
        var ann = await server.JoinAsync("ann");
        await using var jim = await server.JoinAsync("jim");
        await jim.SendJsonAsync(new { type = "message", text = "before" });
        var before = await ann.ExpectMessageAsync("before");
        await ann.DisposeAsync();
        for (var i = 0; i < 5; i++) await jim.SendJsonAsync(new { type = "message", text = $"while away {i}" });
        await jim.ExpectMessageAsync("while away 4");

        await using var back = await server.ConnectAsync(ann.Token!, since: before.GetProperty("id").GetInt64());
        var texts = back.Replay.Select(Text).ToList();
        Assert.DoesNotContain("before", texts);
        Assert.Contains("ann left", texts); // system events are part of a since replay
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"while away {i}"), texts.Where(t => t.StartsWith("while away")));
        var ids = back.Replay.Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(back.Replayed.GetProperty("lastId").GetInt64(), ids[^1]);
    }

    [Fact]
    public async Task SinceIsCappedAtMaxReplayKeepingTheNewestSoTheReplayMeetsTheLiveStream()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:MaxReplay"] = "10" });
        await using var jim = await server.JoinAsync("jim");
        for (var i = 0; i < 30; i++) await jim.SendJsonAsync(new { type = "message", text = $"n{i}" });
        await jim.ExpectMessageAsync("n29");
        await using var again = await server.ConnectAsync(jim.Token!, since: 0);
        Assert.Equal(10, again.Replay.Count);
        Assert.Equal("n29", Text(again.Replay[^1]));
    }

    [Fact]
    public async Task HistoryAndIdsContinueAfterARestartOnTheSameDataDir()
    {
        await using var server = await ChatServer.StartAsync();
        long lastBefore;
        string token;
        await using (var jim = await server.JoinAsync("jim"))
        {
            token = jim.Token!;
            for (var i = 0; i < 20; i++) await jim.SendJsonAsync(new { type = "message", text = $"before restart {i}" });
            lastBefore = (await jim.ExpectMessageAsync("before restart 19")).GetProperty("id").GetInt64();
        }
        await server.RestartAsync();

        await using var back = await server.ConnectAsync(token);
        Assert.Contains(back.Replay, e => Text(e) == "before restart 19");
        await back.SendJsonAsync(new { type = "message", text = "after restart" });
        var after = await back.ExpectMessageAsync("after restart");
        Assert.True(after.GetProperty("id").GetInt64() > lastBefore);
    }

    [Fact]
    public async Task EveryEventIsStoredInTheSqliteFileInWalMode()
    {
        await using var server = await ChatServer.StartAsync();
        await using (var jim = await server.JoinAsync("jim"))
        {
            for (var i = 0; i < 300; i++) await jim.SendJsonAsync(new { type = "message", text = $"burst {i}" });
            await jim.ExpectMessageAsync("burst 299");
        }
        await server.StopAsync();
        using var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "chat.db")};Pooling=False");
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Events WHERE Kind = 0"; // 0: Message (ChatEventKind)
        Assert.Equal(300L, (long)count.ExecuteScalar()!);
        using var mode = db.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)mode.ExecuteScalar()!);
    }

    [Fact]
    public async Task ASinceReplayCappedAtMaxReplaySaysTruncatedAndACompleteOneDoesNot()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:MaxReplay"] = "5" });
        await using var jim = await server.JoinAsync("jim");
        await jim.SendJsonAsync(new { type = "message", text = "first" });
        var first = (await jim.ExpectMessageAsync("first")).GetProperty("id").GetInt64();
        for (var i = 1; i <= 8; i++) await jim.SendJsonAsync(new { type = "message", text = $"m{i}" });
        var last = (await jim.ExpectMessageAsync("m8")).GetProperty("id").GetInt64();

        await using var capped = await server.ConnectAsync(jim.Token!, since: first);
        Assert.Equal(["m4", "m5", "m6", "m7", "m8"], capped.Replay.Select(Text)); // the newest MaxReplay, meeting the live stream
        Assert.True(capped.Replayed.GetProperty("truncated").GetBoolean());

        await using var exact = await server.ConnectAsync(jim.Token!, since: last - 5);
        Assert.Equal(5, exact.Replay.Count);
        Assert.False(exact.Replayed.TryGetProperty("truncated", out var t) && t.GetBoolean());
    }
}
