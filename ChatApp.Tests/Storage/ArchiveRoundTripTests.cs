using System.Net;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Storage;

/// <summary>
/// The archive keeps no HTML for a plain message, the rarely set members of an event as one JSON column, and the search
/// index reads the rows themselves (Storage/StoredEvent.cs, StoredExtra.cs): what comes back from disk must be what was sent.
/// </summary>
public sealed class ArchiveRoundTripTests
{
    [Fact]
    public async Task EveryEventReadsBackFromDiskAfterARestartExactlyAsItWasSent()
    {
        await using var server = await ChatServer.StartAsync();
        await server.SignInAsync("bob");
        using var ann = server.Client(await server.SignInAsync("ann"));
        string[] texts =
        [
            "plain words only",
            "a < b && \"c\" > 'd'",
            "**bold** and [a link](https://example.com)",
            "hello @bob",
            "[ref]: https://example.com",
            "\u0001 starts with the marker",
            "two\nlines",
        ];
        var ids = new List<long>();
        foreach (var text in texts)
        {
            var (status, stored) = await ann.PostJsonAsync("/api/messages", new { text, clientId = $"c{ids.Count}" });
            Assert.True(status == HttpStatusCode.Created, $"{text}: {(int)status} {stored}");
            ids.Add(stored.GetProperty("id").GetInt64());
        }
        Assert.Equal(HttpStatusCode.OK, (await ann.PatchJsonAsync($"/api/messages/{ids[0]}", new { text = "plain again & edited" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ann.PatchJsonAsync($"/api/messages/{ids[1]}", new { text = "now *emphasised*" })).Status);
        var before = (await ann.MessagesAsync("?since=0&limit=100")).Select(e => e.GetRawText()).ToList();

        await server.RestartAsync();

        using var again = server.Client(await server.SignInAsync("carl"));
        var after = (await again.MessagesAsync("?since=0&limit=100")).Select(e => e.GetRawText()).ToList();
        Assert.Equal(before, after.Take(before.Count));
        // The plain paragraphs (the first message's edit, and the fourth) are not stored at all; the rest as rendered.
        var file = SqliteFile.In(server.DataDir);
        string? Html(long id) => file.Query($"SELECT json_extract(Extra, '$.h') FROM Events WHERE Id = {id}").Single()[0] is var h && h == "NULL" ? null : h;
        Assert.Null(Html(ids[0]));
        Assert.Null(Html(ids[3]));
        Assert.StartsWith("<p><strong>bold</strong> and <a ", Html(ids[2]));
        Assert.Equal("\u0001 starts with the marker", file.Query($"SELECT Text FROM Events WHERE Id = {ids[5]}").Single()[0]);
    }

    [Fact]
    public async Task TheSearchIndexAgreesWithTheRowsAfterEditsAndDeletions()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        var ids = new List<long>();
        foreach (var text in new[] { "first walrus", "second walrus", "third walrus", "fourth walrus" })
            ids.Add((await ann.PostJsonAsync("/api/messages", new { text })).Body.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await ann.PatchJsonAsync($"/api/messages/{ids[0]}", new { text = "first narwhal" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ann.PatchJsonAsync($"/api/messages/{ids[1]}", new { text = "second narwhal" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ann.DeleteJsonAsync($"/api/messages/{ids[1]}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ann.DeleteJsonAsync($"/api/messages/{ids[2]}")).Status);
        await server.StopAsync();

        var file = SqliteFile.In(server.DataDir);
        // FTS5 compares its index with every row of the view it indexes; a wrong "delete" would fail this.
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");
        Assert.Equal([ids[3].ToString()], file.Query("SELECT rowid FROM EventSearch WHERE EventSearch MATCH 'walrus'").Select(r => r[0]));
        Assert.Equal([ids[0].ToString()], file.Query("SELECT rowid FROM EventSearch WHERE EventSearch MATCH 'narwhal'").Select(r => r[0]));
    }

    [Fact]
    public async Task EveryMemberOfEveryKindOfEventReadsBackFromItsRowAsTheRoomsMemoryHoldsIt()
    {
        var file = SqliteFile.Empty();
        await using (var storage = await StorageHost.StartAsync(file))
        {
            var ts = new DateTime(2026, 11, 29, 12, 0, 0, 123, DateTimeKind.Utc);
            ChatEvent[] events =
            [
                new() { Id = 1, Ts = ts, Kind = ChatEventKind.Message, From = "ann", Text = "plain & <simple>", Html = "<p>plain &amp; &lt;simple&gt;</p>\n", ClientId = "c1" },
                new() { Id = 2, Ts = ts, Kind = ChatEventKind.Message, From = "ann", To = "bob", Text = "**hi** @bob", Html = "<p><strong>hi</strong> @bob</p>\n", Mentions = ["bob"] },
                new() { Id = 3, Ts = ts, Kind = ChatEventKind.Message, From = "bob", Text = "no rendering", ClientId = "c3" },
                new() { Id = 4, Ts = ts, Kind = ChatEventKind.Message, From = "bob", Text = "[ref]: https://example.com", Html = "" },
                new() { Id = 5, Ts = ts, Kind = ChatEventKind.Message, From = "bob", Text = "odd", Html = "\u0001<p>odd</p>\n", Edited = ts.AddSeconds(1) },
                new() { Id = 6, Ts = ts, Kind = ChatEventKind.File, From = "bob", Text = "a.png", FileName = "a.png", ContentType = "image/png", FileSize = 5, FileKey = "k6", ClientId = "f6" },
                new() { Id = 7, Ts = ts, Kind = ChatEventKind.System, SystemEvent = "profile", User = "ann", To = "ann", Ip = "10.0.0.1", Text = "ann, someone from 10.0.0.1 checked out your profile" },
                new() { Id = 8, Ts = ts, Kind = ChatEventKind.System, SystemEvent = "join", User = "cat", Text = "cat joined" },
                new() { Id = 9, Ts = ts.AddSeconds(2), Kind = ChatEventKind.Edit, From = "ann", Target = 1, Text = "now @bob", Html = "<p>now @bob</p>\n", Mentions = ["bob"], ClientId = "e9" },
                new() { Id = 10, Ts = ts, Kind = ChatEventKind.Delete, From = "bob", Target = 3 },
                new() { Id = 11, Ts = ts, Kind = ChatEventKind.Delete, From = "bob", Target = 6, To = null },
            ];
            await storage.WriteAsync(events);
            // What the room holds after the changes (Chat/ChatEventChanges.cs) is what the rows hold.
            var expected = events.ToList();
            expected[0] = events[0].EditedBy(events[8]);
            expected[2] = events[2].AsDeleted();
            expected[5] = events[5].AsDeleted();
            Assert.Equal(expected.ConvertAll(SqliteFile.Members), file.Events().ConvertAll(SqliteFile.Members));
        }
        // A plain message with nothing else set is its columns alone.
        Assert.Equal("NULL", file.Query("SELECT Extra FROM Events WHERE Id = 1").Single()[0] is var extra && extra.Contains("\"h\"") ? "h" : "NULL");
        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");
    }
}
