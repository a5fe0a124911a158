using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ChatApp.Chat;
using ChatApp.Storage;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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
        // index of every sender, which the index of public messages by sender replaced (CompactArchive) and per-sender
        // counts after it (LeanEvents), the times and kinds, stored as numbers since IntegerTimesAndKinds, and the columns
        // most events left empty, in one JSON column since LeanEvents, which also numbers the senders.
        Assert.Equal(
        [
            "Events.Ts TEXT 1 0", "Events.Kind TEXT 1 0", "Events.From TEXT 0 0", "Events.Text TEXT 1 0", "Events.Html TEXT 0 0",
            "Events.SystemEvent TEXT 0 0", "Events.User TEXT 0 0", "Events.Ip TEXT 0 0", "Events.FileName TEXT 0 0",
            "Events.ContentType TEXT 0 0", "Events.FileSize INTEGER 1 0", "Events.FileKey TEXT 0 0", "Events index IX_Events_From 0 0 (From) ",
        ], released.Schema().Except(fresh.Schema()));
        Assert.Equal(
        [
            "Events.Id INTEGER 1 1", "Events.Ts INTEGER 1 0", "Events.Kind INTEGER 1 0", "Events.FromId INTEGER 0 0", "Events.To TEXT 0 0",
            "Events.Text TEXT 0 0", "Events.ClientId TEXT 0 0", "Events.Target INTEGER 0 0", "Events.Extra TEXT 0 0",
            "Events index IX_Events_Target 0 1 (Target) \"Target\" IS NOT NULL", "Events index IX_Events_To 0 1 (To) \"To\" IS NOT NULL",
        ], fresh.Schema().Where(line => line.StartsWith("Events")));
        Assert.Equal(
        [
            "Senders.Id INTEGER 1 1", "Senders.Name TEXT 1 0", "Senders.CountedAfterId INTEGER 1 0", "Senders.PublicMessages INTEGER 1 0",
            "Senders index IX_Senders_Name 1 0 (Name) ",
        ], fresh.Schema().Where(line => line.StartsWith("Senders")));
        released.Migrate();
        Assert.Equal(released.Schema(), fresh.Schema());
        Assert.Equal(SchemaMigrator.MigrationsVersion, fresh.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public void TheModelHasNoChangeThatNoMigrationMakes()
    {
        using var db = SqliteFile.Empty().Context();
        Assert.False(db.Database.HasPendingModelChanges(), "the EF model differs from the last migration's: add a migration (README, \"Changing the schema\")");
    }

    [Fact]
    public async Task ADatabaseWrittenByTheV2ReleaseOpensMigratedWithEveryRowItsHistoryIdsAndPasswords()
    {
        var file = SqliteFile.CopyOfReleaseV2();
        var rowsBefore = Tables.Select(t => file.Query($"SELECT * FROM {t} ORDER BY rowid")).ToList();
        Assert.Equal(2, file.Scalar("PRAGMA user_version"));

        var eventsBefore = file.Query("SELECT * FROM Events ORDER BY Id").ConvertAll(ReleaseV2Event);

        await using var server = await ChatServer.StartAsync(dataDir: file.Directory);

        Assert.Equal(SchemaMigrator.MigrationsVersion, file.Scalar("PRAGMA user_version"));
        Assert.Equal(["InitialSchema", "EditsMentionsSearch", "CompactArchive", "IntegerTimesAndKinds", "LeanEvents", "PresenceAcrossRestarts"],
            file.Query("SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId").Select(r => r[0].Split('_')[1]));
        // Every user and session as it was (later migrations only add columns after the old ones), and every event reads
        // back as it was written, to the millisecond (as the wire has always shown times).
        for (var i = 0; i < Tables.Length - 1; i++)
            Assert.Equal(rowsBefore[i], file.Query($"SELECT * FROM {Tables[i]} ORDER BY rowid").Select(r => r[..rowsBefore[i][0].Length]).ToList());
        Assert.Equal([3, 3, 12], rowsBefore.Select(r => r.Count));
        Assert.Equal(eventsBefore, file.Events().ConvertAll(SqliteFile.Members));
        Assert.Equal(["integer", "integer"], file.Query("SELECT DISTINCT typeof(Ts), typeof(Kind) FROM Events").Single());
        // Three plain messages are their columns alone: no rendering is stored for a plain paragraph.
        Assert.Equal(3, file.Scalar("SELECT COUNT(*) FROM Events WHERE Extra IS NULL"));
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

    /// <summary>An Events row of the v2 fixture as <see cref="SqliteFile.Members"/> of the event it holds: its time to the millisecond, its kind's number.</summary>
    private static string[] ReleaseV2Event(string[] row)
    {
        var ts = DateTime.Parse(row[1], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var kind = ((int)Enum.Parse<ChatEventKind>(row[2])).ToString(CultureInfo.InvariantCulture);
        return [row[0], new DateTimeOffset(ts).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), kind, .. row[3..15], "0", "NULL", "NULL", "NULL"];
    }

    /// <summary>
    /// An Events row as IntegerTimesAndKinds left it, as <see cref="SqliteFile.Members"/> of the event it holds: a plain
    /// paragraph's rendering was one character, and one beginning with that character had it twice.
    /// </summary>
    private static string[] IntegerTimesEvent(string[] row)
    {
        var members = (string[])row.Clone();
        var (text, html) = (row[5], row[6]);
        members[6] = html == "\u0001" ? StoredHtml.ParagraphOf(text) : html.StartsWith('\u0001') ? html[1..] : html;
        return members;
    }

    [Fact]
    public async Task ADatabaseOfTheIntegerTimesReleaseOpensLeanWithItsHistorySearchChangesFilesMentionsAndCounts()
    {
        var file = SqliteFile.CopyOfIntegerTimes();
        var eventsBefore = file.Query("SELECT * FROM Events ORDER BY Id").ConvertAll(IntegerTimesEvent);
        var usersBefore = file.Query("SELECT * FROM Users ORDER BY rowid");
        Assert.Equal(27, eventsBefore.Count);

        file.Migrate();

        // Every event reads back as it was: text, rendering, sender, recipient, file, edit time, mentions, deletion.
        Assert.Equal(eventsBefore, file.Events().ConvertAll(SqliteFile.Members));
        Assert.Equal(usersBefore, file.Query("SELECT * FROM Users ORDER BY rowid"));
        Assert.Equal(["ann", "bob", "olduser"], file.Query("SELECT Name FROM Senders ORDER BY Name").Select(r => r[0]));
        // A plain public message is its columns alone; the deleted message and file keep no text.
        Assert.Equal(["last word", "NULL"], file.Query("SELECT Text, Extra FROM Events WHERE Id = 25").Single());
        Assert.Equal(["NULL", "NULL"], file.Query("SELECT Text, Extra FROM Events WHERE Id = 15").Single());
        Assert.Equal("NULL", file.Query("SELECT Text FROM Events WHERE Id = 12").Single()[0]);
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");

        await using var server = await ChatServer.StartAsync(dataDir: file.Directory);
        // The profile's counts as the index counted them: ann's six public messages (the deleted one too), none of bob's
        // (a private message and a file), and olduser's one since the name was claimed again at event 20.
        Assert.Equal(6, await server.PublicMessagesOnProfileAsync("ann"));
        Assert.Equal(0, await server.PublicMessagesOnProfileAsync("bob"));
        Assert.Equal(1, await server.PublicMessagesOnProfileAsync("olduser"));

        var annToken = await server.SignInAsync("ann", "ann-password");
        await using var ann = await server.ConnectAsync(annToken, since: 0);
        var talk = ann.Replay.Where(e => TestSocket.Type(e) is "message" or "file").ToDictionary(e => e.GetProperty("id").GetInt64());
        // Her history: the old owner's private message to her, bob's, the edited message with its mentions, the deleted
        // message and file as what stays of them, her file; olduser's new private message to bob is not hers.
        Assert.Equal([4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 22, 25], talk.Keys.Order());
        Assert.Equal("old secret for ann", talk[6].Text("text"));
        Assert.Equal("ann", talk[10].Text("to"));
        Assert.Equal(("plain words, edited for @bob", "<p>plain words, edited for @bob</p>\n", "bob"),
            (talk[9].Text("text"), talk[9].Text("html"), talk[9].GetProperty("mentions")[0].GetString()));
        Assert.True(talk[9].TryGetProperty("edited", out _));
        Assert.Equal("<p>hello <strong>everyone</strong></p>\n", talk[8].Text("html"));
        Assert.Equal("\u0001 starts with the marker", talk[13].Text("text"));
        Assert.True(talk[12].GetProperty("deleted").GetBoolean());
        Assert.True(talk[15].GetProperty("deleted").GetBoolean());
        Assert.Equal(("dot.png", "image/png", 70L), (talk[14].Text("name"), talk[14].Text("contentType"), talk[14].GetProperty("size").GetInt64()));
        // Search finds what is current: an edited text by its new words, a file by its name, nothing deleted.
        using (var search = server.Client(annToken))
        {
            async Task<long[]> FoundAsync(string q) =>
                (await search.GetJsonAsync($"/api/search?q={q}")).Body.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToArray();
            Assert.Equal(new[] { 9L }, await FoundAsync("edited"));
            Assert.Equal(new[] { 11L }, await FoundAsync("walrus"));
            Assert.Equal(new[] { 14L }, await FoundAsync("dot"));
            Assert.Empty(await FoundAsync("gone"));
            Assert.Empty(await FoundAsync("narwhal"));
            Assert.Equal(new[] { 6L }, await FoundAsync("secret"));
        }

        // An edit and a deletion of migrated messages, and new messages, keep rows, index and counts right.
        using (var http = server.Client(annToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PatchJsonAsync("/api/messages/11", new { text = "hi @bob, see the narwhal" })).Status);
            Assert.Equal(HttpStatusCode.OK, (await http.DeleteJsonAsync("/api/messages/13")).Status);
            Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync("/api/messages", new { text = "after the upgrade" })).Status);
        }
        await Eventually.ThatAsync(async () => await server.PublicMessagesOnProfileAsync("ann") == 7, "ann's new message is counted");
        await server.StopAsync();
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");
        Assert.Equal(["11"], file.Query("SELECT rowid FROM EventSearch WHERE EventSearch MATCH 'narwhal'").Select(r => r[0]));
        Assert.Empty(file.Query("SELECT rowid FROM EventSearch WHERE EventSearch MATCH 'marker'"));
    }

    [Fact]
    public void LeanEventsMigratedDownGivesBackTheRowsItWasGivenAndUpAgainTheSame()
    {
        var file = SqliteFile.CopyOfIntegerTimes();
        var schemaBefore = file.Schema();
        var tables = new[] { "Users", "Sessions", "Events" }.Select(t => file.Query($"SELECT * FROM {t} ORDER BY rowid")).ToList();

        file.Migrate();
        var migrated = file.Query("SELECT * FROM Events ORDER BY Id");
        var senders = file.Query("SELECT * FROM Senders ORDER BY Id");
        file.MigrateTo("IntegerTimesAndKinds");

        Assert.Equal(schemaBefore, file.Schema());
        Assert.Equal(tables, new[] { "Users", "Sessions", "Events" }.Select(t => file.Query($"SELECT * FROM {t} ORDER BY rowid")).ToList());
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");

        file.Migrate();
        Assert.Equal(migrated, file.Query("SELECT * FROM Events ORDER BY Id"));
        Assert.Equal(senders, file.Query("SELECT * FROM Senders ORDER BY Id"));
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");
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
        Assert.Equal(6, file.Query("SELECT * FROM __EFMigrationsHistory").Count);

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
