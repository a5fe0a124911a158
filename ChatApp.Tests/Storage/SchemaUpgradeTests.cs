using ChatApp.Storage;
using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ChatApp.Tests.Storage;

public sealed class SchemaUpgradeTests
{
    private static long Scalar(string dbPath, string sql)
    {
        using var db = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    [Fact]
    public async Task ADatabaseWrittenByVersionOneOpensUpgradedWithItsHistory()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "chatapp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var dbPath = Path.Combine(dataDir, "chat.db");
        SchemaUpgrader.Upgrade($"Data Source={dbPath};Pooling=False", targetVersion: 1);
        using (var db = new SqliteConnection($"Data Source={dbPath};Pooling=False"))
        {
            db.Open();
            using var insert = db.CreateCommand();
            insert.CommandText = """
                INSERT INTO Events (Id, Ts, Kind, "From", Text, Html) VALUES
                (41, '2026-01-02 03:04:05.678', 'Message', 'old', 'from version one', '<p>from version one</p>');
                """;
            insert.ExecuteNonQuery();
        }
        Assert.Equal(1, Scalar(dbPath, "PRAGMA user_version"));

        await using var server = await ChatServer.StartAsync(dataDir: dataDir);
        Assert.Equal(SchemaUpgrader.CurrentVersion, Scalar(dbPath, "PRAGMA user_version"));
        Assert.Equal(1, Scalar(dbPath, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'IX_Events_To'"));

        await using var ann = await server.JoinAsync("ann");
        var replayed = Assert.Single(ann.Replay);
        Assert.Equal(41, replayed.GetProperty("id").GetInt64());
        Assert.Equal("2026-01-02T03:04:05.678Z", replayed.GetProperty("ts").GetString());
        await ann.SendJsonAsync(new { type = "message", text = "new" });
        Assert.Equal(43, (await ann.ExpectMessageAsync("new")).GetProperty("id").GetInt64()); // 42 was ann's join
    }

    [Fact]
    public void UpgradingIsIdempotentAndRefusesADatabaseFromTheFuture()
    {
        var dbPath = Path.Combine(Path.GetTempPath(), $"chatapp-schema-{Guid.NewGuid():N}.db");
        var cs = $"Data Source={dbPath};Pooling=False";
        Assert.Equal(SchemaUpgrader.CurrentVersion, SchemaUpgrader.Upgrade(cs));
        Assert.Equal(SchemaUpgrader.CurrentVersion, SchemaUpgrader.Upgrade(cs));
        using (var db = new SqliteConnection(cs))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"PRAGMA user_version = {SchemaUpgrader.CurrentVersion + 1}";
            cmd.ExecuteNonQuery();
        }
        Assert.Throws<InvalidOperationException>(() => SchemaUpgrader.Upgrade(cs));
        File.Delete(dbPath);
    }
}
