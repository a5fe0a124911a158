using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

/// <summary>
/// Edits and deletions of events older than the room's memory: their targets are read from disk off the room's loop
/// (PROTOCOL.md §2.4 holds all the same), also while an earlier change of the same target is still being stored.
/// </summary>
public sealed class OldEventChangesTests
{
    // The archive holds Math.Max(ArchiveCapacity, MaxReplay) events: 10 here; talk is held longer (2,000, trimmed at 2,500).
    private static readonly Dictionary<string, string?> SmallArchive = new() { ["Chat:ArchiveCapacity"] = "10", ["Chat:MaxReplay"] = "10" };
    private const int TalkThatPushesOut = 2_600;

    private static long Id(JsonElement e) => e.GetProperty("id").GetInt64();

    /// <summary>
    /// Public talk, enough that nothing said before it is held in the room's memory (private talk between others
    /// would not do: the room holds public talk apart from it).
    /// </summary>
    private static async Task PushOutOfMemoryAsync(ChatServer server)
    {
        using var filler = server.Client(await server.SignInAsync("filler"));
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= TalkThatPushesOut)
                Assert.Equal(HttpStatusCode.Created, (await filler.PostJsonAsync("/api/messages", new { text = "filler" })).Status);
        }));
    }

    /// <summary>The message with <paramref name="id"/> as <c>/api/messages</c> reads it now (from disk: it is older than memory).</summary>
    private static async Task<JsonElement> ReadBackAsync(HttpClient client, long id)
    {
        var page = await client.MessagesAsync($"?since={id - 1}&limit=1");
        var message = Assert.Single(page);
        Assert.Equal(id, Id(message));
        return message;
    }

    [Fact]
    public async Task TwoEditsInARowOfAMessageOlderThanMemoryAreBothStoredAndTheSecondIsItsTextOnDiskAndAfterARestart()
    {
        await using var server = await ServerWithSmallArchiveAsync();
        await using var ann = await server.JoinAsync("ann");
        await ann.SendJsonAsync(new { type = "message", text = "old words" });
        var id = Id(await ann.ExpectMessageAsync("old words"));
        await PushOutOfMemoryAsync(server);
        using var reads = new ServerCounter(server, "chatapp.history.disk_reads");

        // Sent back to back: the second is accepted while the first is still on its way to the disk.
        await ann.SendJsonAsync(new { type = "edit", target = id, text = "first edit", clientId = "e1" });
        await ann.SendJsonAsync(new { type = "edit", target = id, text = "second edit", clientId = "e2" });
        var first = await ann.ExpectAsync("edit");
        var second = await ann.ExpectAsync("edit");

        Assert.Equal(["e1", "e2"], new[] { first.Text("clientId")!, second.Text("clientId")! });
        Assert.Equal([id, id], new[] { first.GetProperty("target").GetInt64(), second.GetProperty("target").GetInt64() });
        Assert.Equal(["first edit", "second edit"], new[] { first.Text("text")!, second.Text("text")! });
        // Both targets were read from disk, off the room's loop.
        Assert.True(reads.Total >= 2, $"expected the two targets read from disk, counted {reads.Total}");
        using var http = server.Client(ann.Token);
        var current = await ReadBackAsync(http, id);
        Assert.Equal("second edit", current.Text("text"));
        Assert.Equal(second.Text("ts"), current.Text("edited"));

        await server.RestartAsync();
        await using var again = await server.ConnectAsync(ann.Token!);
        await again.SendJsonAsync(new { type = "edit", target = id, text = "edited after the restart", clientId = "e3" });
        var third = await again.ExpectAsync("edit");
        Assert.Equal("e3", third.Text("clientId"));
        var afterRestart = await ReadBackAsync(http, id);
        Assert.Equal("edited after the restart", afterRestart.Text("text"));
        Assert.Equal(third.Text("ts"), afterRestart.Text("edited"));
    }

    [Fact]
    public async Task DeletingAMessageOlderThanMemoryRefusesAnEditSentRightAfterAndLeavesNoTextOfItsEditsInAReplay()
    {
        await using var server = await ServerWithSmallArchiveAsync();
        await using var ann = await server.JoinAsync("ann");
        await ann.SendJsonAsync(new { type = "message", text = "old words" });
        var id = Id(await ann.ExpectMessageAsync("old words"));
        await PushOutOfMemoryAsync(server);
        // An edit made now is held in memory while the message it changes is not.
        await ann.SendJsonAsync(new { type = "edit", target = id, text = "second thoughts" });
        var edit = await ann.ExpectAsync("edit");

        await ann.SendJsonAsync(new { type = "delete", target = id, clientId = "d1" });
        await ann.SendJsonAsync(new { type = "edit", target = id, text = "too late", clientId = "e2" });

        // The refusal may come before the deletion's echo (refused while the deletion is being stored) or after.
        JsonElement? deletion = null, refusal = null;
        while (deletion is null || refusal is null)
        {
            var frame = await ann.NextAsync(f => TestSocket.Type(f) is "delete" or "error");
            if (TestSocket.Type(frame) == "delete") deletion = frame; else refusal = frame;
        }
        Assert.Equal("d1", deletion.Value.Text("clientId"));
        Assert.Equal("not_found", refusal.Value.Text("code"));
        Assert.Equal("e2", refusal.Value.Text("clientId"));
        await ann.SendJsonAsync(new { type = "delete", target = id, clientId = "d2" });
        Assert.Equal("not_found", (await ann.ExpectAsync("error", e => e.Text("clientId") == "d2")).Text("code"));

        using var http = server.Client(ann.Token);
        var current = await ReadBackAsync(http, id);
        Assert.True(current.GetProperty("deleted").GetBoolean());
        await using var bob = await server.JoinAsync("bob", since: Id(edit) - 1);
        var replayed = bob.Replay.Select(e => e.GetRawText()).ToList();
        Assert.DoesNotContain(replayed, e => e.Contains("second thoughts") || e.Contains("too late"));
        Assert.Contains(bob.Replay, e => e.Text("type") == "delete" && e.GetProperty("target").GetInt64() == id);
    }

    [Fact]
    public async Task DeletingAFileOlderThanMemoryRemovesItsBytesAndItsUrlAnswersGone()
    {
        await using var server = await ServerWithSmallArchiveAsync();
        await using var ann = await server.JoinAsync("ann");
        await ann.SendFileAsync("old.txt", "text/plain", "old bytes"u8.ToArray());
        var id = Id(await ann.ExpectAsync("file"));
        await PushOutOfMemoryAsync(server);
        using var http = server.Client(ann.Token);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/files/{id}")).StatusCode);

        var (status, deletion) = await http.DeleteJsonAsync($"/api/messages/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, deletion.GetProperty("target").GetInt64());
        Assert.Equal(HttpStatusCode.Gone, (await http.GetAsync($"/files/{id}")).StatusCode);
        await Eventually.ThatAsync(() => server.StoredFiles().Length == 0, "the old file's bytes are removed");
    }

    private static Task<ChatServer> ServerWithSmallArchiveAsync() => ChatServer.StartAsync(SmallArchive);
}
