using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ChatApp.Chat;
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
        // index of every sender, which the index of public messages by sender replaced (CompactArchive), and the times and
        // kinds, stored as numbers since IntegerTimesAndKinds.
        Assert.Equal(["Events.Ts TEXT 1 0", "Events.Kind TEXT 1 0", "Events index IX_Events_From 0 0 (From) "], released.Schema().Except(fresh.Schema()));
        Assert.Contains("Events.Ts INTEGER 1 0", fresh.Schema());
        Assert.Contains("Events.Kind INTEGER 1 0", fresh.Schema());
        Assert.Contains("Events index IX_Events_PublicMessages 0 1 (From) \"To\" IS NULL AND \"Kind\" = 0", fresh.Schema());
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
        Assert.Equal(["InitialSchema", "EditsMentionsSearch", "CompactArchive", "IntegerTimesAndKinds"],
            file.Query("SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId").Select(r => r[0].Split('_')[1]));
        // Every row as it was (later migrations only add columns after the old ones), but for the events' times and kinds,
        // now numbers, and their plain paragraphs' renderings, now one character (IntegerTimesAndKinds).
        rowsBefore[2] = rowsBefore[2].ConvertAll(MigratedEvent);
        for (var i = 0; i < Tables.Length; i++)
            Assert.Equal(rowsBefore[i], file.Query($"SELECT * FROM {Tables[i]} ORDER BY rowid").Select(r => r[..rowsBefore[i][0].Length]).ToList());
        Assert.Equal([3, 3, 12], rowsBefore.Select(r => r.Count));
        Assert.Equal(["integer", "integer"], file.Query("SELECT DISTINCT typeof(Ts), typeof(Kind) FROM Events").Single());
        Assert.Equal(3, file.Scalar("SELECT COUNT(*) FROM Events WHERE Html = char(1)"));
        // The search index still agrees with the rows it indexes, through the view made again with the kinds' numbers.
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");

        // ann set a password in that release: it still guards her name.
        using (var client = server.Client())
            Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/session", new { name = "ann" })).StatusCode);
        await using var ann = await server.ConnectAsync(await server.SignInAsync("ann", "ann-password"));

        // Her replay: the talk she may see (bob's private message to her included), with the ids, kinds, times and
        // renderings it had (the times to the millisecond, as the wire has always shown them).
        Assert.Equal([3, 4, 5, 7, 10], ann.Replay.Select(e => e.GetProperty("id").GetInt64()));
        foreach (var e in ann.Replay)
        {
            var row = OldEvents[e.GetProperty("id").GetInt64()];
            Assert.Equal(row.Kind, e.Text("type"));
            Assert.Equal(row.Ts, e.Text("ts"));
        }
        Assert.Equal("<p>hello <strong>everyone</strong></p>\n", ann.Replay[0].Text("html"));
        Assert.Equal("<p>just for ann</p>\n", ann.Replay[1].Text("html"));
        // Search finds a message and a file by the kinds' numbers in the view the index reads.
        using (var search = server.Client(await server.SignInAsync("dan")))
        {
            Assert.Equal([7L], (await search.GetJsonAsync("/api/search?q=marker")).Body.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            var found = (await search.GetJsonAsync("/api/search?q=dot")).Body.EnumerateArray().Single();
            Assert.Equal((5L, "file", "2026-11-29T04:32:30.735Z"), (found.GetProperty("id").GetInt64(), found.Text("type"), found.Text("ts")));
        }
        Assert.Equal("just for ann", ann.Replay[1].Text("text"));
        Assert.Equal("dot.png", ann.Replay[2].Text("name"));
        await ann.SendJsonAsync(new { type = "message", text = "after the upgrade" });
        Assert.Equal(14, (await ann.ExpectMessageAsync("after the upgrade")).GetProperty("id").GetInt64()); // 13 was ann's join
    }

    /// <summary>The fixture's events as the v2 release wrote them: kind and time (to the millisecond, as the wire shows it).</summary>
    private static readonly Dictionary<long, (string Kind, string Ts)> OldEvents = new()
    {
        [3] = ("message", "2026-11-29T04:32:30.708Z"),
        [4] = ("message", "2026-11-29T04:32:30.714Z"),
        [5] = ("file", "2026-11-29T04:32:30.735Z"),
        [7] = ("message", "2026-11-29T04:32:30.901Z"),
        [10] = ("message", "2026-11-29T04:32:31.054Z"),
    };

    /// <summary>An Events row of the fixture as IntegerTimesAndKinds leaves it: Unix milliseconds, the kind's number, a plain paragraph compact.</summary>
    private static string[] MigratedEvent(string[] row)
    {
        var migrated = (string[])row.Clone();
        var ts = DateTime.Parse(row[1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        migrated[1] = new DateTimeOffset(ts).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        migrated[2] = ((int)Enum.Parse<ChatEventKind>(row[2])).ToString(CultureInfo.InvariantCulture);
        if (row[6] == $"<p>{row[5]}</p>\n") migrated[6] = "\u0001";
        return migrated;
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
        Assert.Equal(4, file.Query("SELECT * FROM __EFMigrationsHistory").Count);

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
