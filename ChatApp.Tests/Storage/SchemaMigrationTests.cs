using System.Net;
using System.Net.Http.Json;
using ChatApp.Storage;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Storage;

public sealed class SchemaMigrationTests
{
    private static readonly string[] Tables = ["Users", "Sessions", "Events"];

    [Fact]
    public void TheMigrationsCreateTheTablesAndIndexesTheV2ReleaseWrote()
    {
        var fresh = SqliteFile.Empty();
        fresh.Migrate();
        var released = SqliteFile.CopyOfReleaseV2();
        // Everything the v2 release wrote, and what later migrations add (edits, mentions, search) on top, but for the
        // index of every sender, which the index of public messages by sender replaced (CompactArchive).
        Assert.Equal(["Events index IX_Events_From 0 0 (From) "], released.Schema().Except(fresh.Schema()));
        Assert.Contains("Events index IX_Events_PublicMessages 0 1 (From) \"To\" IS NULL AND \"Kind\" = 'Message'", fresh.Schema());
        Assert.Contains("Events index IX_Events_To 0 1 (To) \"To\" IS NOT NULL", fresh.Schema());
        released.Migrate();
        Assert.Equal(released.Schema(), fresh.Schema());
        Assert.Equal(SchemaMigrator.MigrationsVersion, fresh.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public async Task ADatabaseWrittenByTheV2ReleaseOpensMigratedWithEveryRowItsHistoryIdsAndPasswords()
    {
        var file = SqliteFile.CopyOfReleaseV2();
        var rowsBefore = Tables.Select(t => file.Query($"SELECT * FROM {t} ORDER BY rowid")).ToList();
        Assert.Equal(2, file.Scalar("PRAGMA user_version"));

        await using var server = await ChatServer.StartAsync(dataDir: file.Directory);

        Assert.Equal(SchemaMigrator.MigrationsVersion, file.Scalar("PRAGMA user_version"));
        Assert.Equal(["InitialSchema", "EditsMentionsSearch", "CompactArchive"], file.Query("SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId").Select(r => r[0].Split('_')[1]));
        // Every row as it was (later migrations only add columns after the old ones).
        for (var i = 0; i < Tables.Length; i++)
            Assert.Equal(rowsBefore[i], file.Query($"SELECT * FROM {Tables[i]} ORDER BY rowid").Select(r => r[..rowsBefore[i][0].Length]).ToList());
        Assert.Equal([3, 3, 12], rowsBefore.Select(r => r.Count));

        // ann set a password in that release: it still guards her name.
        using (var client = server.Client())
            Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/session", new { name = "ann" })).StatusCode);
        await using var ann = await server.ConnectAsync(await server.SignInAsync("ann", "ann-password"));

        // Her replay: the talk she may see (bob's private message to her included), with the ids it had.
        Assert.Equal([3, 4, 5, 7, 10], ann.Replay.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal("just for ann", ann.Replay[1].Text("text"));
        Assert.Equal("dot.png", ann.Replay[2].Text("name"));
        await ann.SendJsonAsync(new { type = "message", text = "after the upgrade" });
        Assert.Equal(14, (await ann.ExpectMessageAsync("after the upgrade")).GetProperty("id").GetInt64()); // 13 was ann's join
    }

    [Fact]
    public async Task ADatabaseOfTheFirstReleaseGetsTheIndexesOfTheSecondAndOpensWithItsHistory()
    {
        var file = SqliteFile.CopyOfReleaseV2();
        file.Execute("DROP INDEX IX_Events_To; DROP INDEX IX_Events_From; DROP INDEX IX_Sessions_NameKey; PRAGMA user_version = 1;");

        await using var server = await ChatServer.StartAsync(dataDir: file.Directory);

        var v2Migrated = SqliteFile.CopyOfReleaseV2();
        v2Migrated.Migrate();
        Assert.Equal(v2Migrated.Schema(), file.Schema());
        await using var ann = await server.ConnectAsync(await server.SignInAsync("ann", "ann-password"));
        Assert.Equal([3, 4, 5, 7, 10], ann.Replay.Select(e => e.GetProperty("id").GetInt64()));
    }

    [Fact]
    public void MigratingTwiceChangesNothingAndADatabaseFromANewerServerIsRefused()
    {
        var file = SqliteFile.Empty();
        file.Migrate();
        file.Migrate();
        Assert.Equal(3, file.Query("SELECT * FROM __EFMigrationsHistory").Count);

        var unknownMigration = SqliteFile.Empty();
        unknownMigration.Migrate();
        unknownMigration.Execute("INSERT INTO __EFMigrationsHistory VALUES ('29990101000000_FromTheFuture', '99.0.0')");
        Assert.Contains("29990101000000_FromTheFuture", Assert.Throws<InvalidOperationException>(unknownMigration.Migrate).Message);

        var newerVersion = SqliteFile.CopyOfReleaseV2();
        newerVersion.Execute($"PRAGMA user_version = {SchemaMigrator.MigrationsVersion + 1}");
        Assert.Contains("newer than this server", Assert.Throws<InvalidOperationException>(newerVersion.Migrate).Message);
        Assert.Equal(12, newerVersion.Scalar("SELECT COUNT(*) FROM Events")); // refused, and left as it was
    }
}
