using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>Edits and deletions (PROTOCOL.md §2.4) made on one node reach, and replay on, the others.</summary>
public sealed class ScaledChangesTests
{
    [Fact]
    public async Task AnEditAndADeleteOnOneNodeReachSocketsOnTheOtherAndItsSinceReplayShowsTheCurrentStateAndTheChanges()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var ann = await chat.JoinAsync(0, "ann");
        var bobToken = await chat.SignInAsync(1, "bob");
        await using var bob = await chat.ConnectAsync(1, bobToken);
        // Bob's join is stored when his node gets to it, which may be after messages sent once his socket is open: his own
        // join echoed first (so stored), nothing but the edit and the delete can come after the messages below.
        await bob.ExpectAsync("system", f => f.GetProperty("event").GetString() == "join" && f.GetProperty("user").GetString() == "bob");
        await ann.SendJsonAsync(new { type = "message", text = "first draft" });
        await ann.SendJsonAsync(new { type = "message", text = "to be deleted" });
        var edited = (await bob.ExpectMessageAsync("first draft")).Id();
        var deleted = (await bob.ExpectMessageAsync("to be deleted")).Id();
        // Ann edits what her own node has echoed to her (a node that has not applied an id yet answers not_found).
        await ann.ExpectMessageAsync("to be deleted");

        await ann.SendJsonAsync(new { type = "edit", target = edited, text = "**final** text", clientId = "e1" });
        await ann.SendJsonAsync(new { type = "delete", target = deleted, clientId = "d1" });

        var edit = await bob.ExpectAsync("edit");
        Assert.Equal(edited, edit.GetProperty("target").GetInt64());
        Assert.Equal("ann", edit.GetProperty("from").GetString());
        Assert.Equal("**final** text", edit.Text());
        Assert.Equal("<p><strong>final</strong> text</p>", edit.GetProperty("html").GetString()?.Trim());
        var delete = await bob.ExpectAsync("delete");
        Assert.Equal(deleted, delete.GetProperty("target").GetInt64());
        var annEcho = await ann.ExpectAsync("delete");
        Assert.Equal(delete.Id(), annEcho.Id());
        Assert.Equal("d1", annEcho.GetProperty("clientId").GetString());

        // Resuming on node 1 from before both messages: their current state, then the changes themselves.
        await using var resumed = await chat.ConnectAsync(1, bobToken, since: edited - 1);
        var replay = resumed.Replay.ToDictionary(f => f.Id());
        Assert.Equal("**final** text", replay[edited].Text());
        Assert.Equal(edit.GetProperty("ts").GetString(), replay[edited].GetProperty("edited").GetString());
        Assert.True(replay[deleted].GetProperty("deleted").GetBoolean());
        Assert.False(replay[deleted].TryGetProperty("text", out _));
        Assert.Equal(["edit", "delete"], resumed.Replay.Where(f => f.Id() > deleted).Select(TestSocket.Type));

        // The default replay and the HTTP history agree on both nodes.
        await using var lateOnA = await chat.JoinAsync(0, "cat");
        Assert.Equal("**final** text", lateOnA.Replay.Single(f => f.Id() == edited).Text());
        Assert.DoesNotContain(lateOnA.Replay, f => f.Id() == deleted && f.Text() is not null);
        // Cat's own join is an event too: both nodes hold it before their histories are compared.
        await lateOnA.ExpectAsync("system", f => f.GetProperty("event").GetString() == "join" && f.GetProperty("user").GetString() == "cat");
        await bob.ExpectAsync("system", f => f.GetProperty("event").GetString() == "join" && f.GetProperty("user").GetString() == "cat");
        using var a = chat.Client(0, lateOnA.Token);
        using var b = chat.Client(1, bobToken);
        Assert.Equal(await a.GetStringAsync($"/api/messages?since={edited - 1}"), await b.GetStringAsync($"/api/messages?since={edited - 1}"));
    }

    [Fact]
    public async Task APatchAndADeleteOverHttpOnOneNodeReachTheOtherAndADeletedFilesUrlAnswers410There()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        await ann.SendJsonAsync(new { type = "message", text = "typo hree" });
        var message = (await bob.ExpectMessageAsync("typo hree")).Id();
        await ann.SendFileAsync("gone.bin", "application/octet-stream", FileSharing.RandomBytes(1000));
        var (file, _) = await bob.ReceiveFileAsync("gone.bin");
        var url = file.GetProperty("url").GetString()!;
        using var onB = chat.Client(1, bob.Token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync(url)).StatusCode);

        using var annOnB = chat.Client(1, ann.Token);
        var patched = await annOnB.PatchAsJsonAsync($"/api/messages/{message}", new { text = "typo here" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var removed = await annOnB.DeleteAsync($"/api/messages/{file.Id()}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);

        var edit = await ann.ExpectAsync("edit");
        Assert.Equal((await patched.Content.ReadFromJsonAsync<JsonElement>()).Id(), edit.Id());
        Assert.Equal("typo here", edit.Text());
        var delete = await ann.ExpectAsync("delete");
        Assert.Equal(file.Id(), delete.GetProperty("target").GetInt64());
        await bob.ExpectAsync("delete");
        Assert.Equal(HttpStatusCode.Gone, (await onB.GetAsync(url)).StatusCode);
        using var onA = chat.Client(0, ann.Token);
        Assert.Equal(HttpStatusCode.Gone, (await onA.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task ChangesToAMessageOlderThanEitherNodesMemoryCrossNodesAndADeletionOnOneIsKnownToTheOther()
    {
        // Each node holds 10 events (and 2,000 talk): 2,600 private messages between others push the message out of both.
        await using var chat = await ScaledChat.StartAsync(settings: ["--Chat:ArchiveCapacity=10", "--Chat:MaxReplay=10"]);
        var annToken = await chat.SignInAsync(0, "ann");
        await using var annOnA = await chat.ConnectAsync(0, annToken);
        await using var annOnB = await chat.ConnectAsync(1, annToken);
        await annOnA.SendJsonAsync(new { type = "message", text = "old words" });
        var id = (await annOnB.ExpectMessageAsync("old words")).Id();
        using var filler = chat.Client(1, await chat.SignInAsync(1, "filler"));
        await chat.SignInAsync(1, "sink");
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= 2_600)
                Assert.Equal(HttpStatusCode.Created, (await filler.PostAsJsonAsync("/api/messages", new { text = "filler", to = "sink" })).StatusCode);
        }));

        // Edited on A (its target read from A's disk), seen on B; deleted on B (read from B's disk), seen on A.
        await annOnA.SendJsonAsync(new { type = "edit", target = id, text = "edited on A", clientId = "e1" });
        var edit = await annOnB.ExpectAsync("edit");
        Assert.Equal("edited on A", edit.Text());
        await annOnB.SendJsonAsync(new { type = "delete", target = id, clientId = "d1" });
        var deletion = await annOnA.ExpectAsync("delete");
        Assert.Equal(id, deletion.GetProperty("target").GetInt64());
        // And B's own echo of it: B has stored it as well (an echo means stored), so both nodes answer alike below.
        Assert.Equal(id, (await annOnB.ExpectAsync("delete")).GetProperty("target").GetInt64());

        // A stored the deletion before it delivered it: an edit there now finds the message gone.
        await annOnA.SendJsonAsync(new { type = "edit", target = id, text = "too late", clientId = "e2" });
        var refusal = await annOnA.ExpectAsync("error");
        Assert.Equal("not_found", refusal.GetProperty("code").GetString());
        Assert.Equal("e2", refusal.GetProperty("clientId").GetString());
        using var a = chat.Client(0, annToken);
        using var b = chat.Client(1, annToken);
        var onA = await a.GetStringAsync($"/api/messages?since={id - 1}&limit=1");
        Assert.Equal(onA, await b.GetStringAsync($"/api/messages?since={id - 1}&limit=1"));
        Assert.Contains("\"deleted\":true", onA);
        Assert.DoesNotContain("edited on A", onA);
    }
}
