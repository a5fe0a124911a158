using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

/// <summary>Edit and delete frames on /ws (PROTOCOL.md §2.4), and how replays show what they changed.</summary>
public sealed class EditDeleteTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static long Id(JsonElement e) => e.GetProperty("id").GetInt64();

    private static async Task<long> SayAsync(TestSocket socket, string text)
    {
        await socket.SendJsonAsync(new { type = "message", text });
        return Id(await socket.ExpectMessageAsync(text));
    }

    [Fact]
    public async Task AnEditIsEchoedWithItsClientIdAndARefusalNamesIt()
    {
        await using var ann = await _server.JoinAsync("ann");
        await using var bob = await _server.JoinAsync("bob");
        var id = await SayAsync(ann, "first try");

        await ann.SendJsonAsync(new { type = "edit", target = id, text = "second try", clientId = "edit-1" });
        var echo = await ann.ExpectAsync("edit");
        Assert.Equal("edit-1", echo.Text("clientId"));
        Assert.Equal("second try", echo.Text("text"));
        Assert.Equal(id, echo.GetProperty("target").GetInt64());

        await bob.SendJsonAsync(new { type = "edit", target = id, text = "bob was here", clientId = "edit-2" });
        var refusal = await bob.ExpectAsync("error");
        Assert.Equal("not_yours", refusal.Text("code"));
        Assert.Equal("edit-2", refusal.Text("clientId"));
        await bob.SendJsonAsync(new { type = "delete", target = 987_654, clientId = "del-1" });
        Assert.Equal("not_found", (await bob.ExpectAsync("error")).Text("code"));
        await bob.SendJsonAsync(new { type = "delete" });
        Assert.Equal("bad_frame", (await bob.ExpectAsync("error")).Text("code"));
        await bob.SendJsonAsync(new { type = "edit", target = "seven", text = "x" });
        Assert.Equal("bad_frame", (await bob.ExpectAsync("error")).Text("code"));
    }

    [Fact]
    public async Task AMessageCarriesTheClaimedNamesItMentionsAndAnEditRecomputesThem()
    {
        await using var ann = await _server.JoinAsync("ann");
        await _server.SignInAsync("Bob");
        await _server.SignInAsync("carl");

        await ann.SendJsonAsync(new { type = "message", text = "@bob and @nobody, see ann@example.com" });
        var message = await ann.ExpectAsync("message");
        Assert.Equal(["Bob"], message.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));

        await ann.SendJsonAsync(new { type = "edit", target = Id(message), text = "sorry, @CARL!" });
        var edit = await ann.ExpectAsync("edit");
        Assert.Equal(["carl"], edit.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));

        await ann.SendJsonAsync(new { type = "message", text = "nobody mentioned" });
        Assert.False((await ann.ExpectMessageAsync("nobody mentioned")).TryGetProperty("mentions", out _));
    }

    [Fact]
    public async Task ASinceReplayShowsCurrentStateAndCarriesTheEditAndDeleteEventsAfterSince()
    {
        await using var ann = await _server.JoinAsync("ann");
        var kept = await SayAsync(ann, "to be edited");
        var gone = await SayAsync(ann, "to be deleted");
        await ann.SendJsonAsync(new { type = "edit", target = kept, text = "edited" });
        var edit = await ann.ExpectAsync("edit");
        await ann.SendJsonAsync(new { type = "delete", target = gone });
        var deletion = await ann.ExpectAsync("delete");

        // From before both messages: their current state, then the changes.
        await using var early = await _server.ConnectAsync(ann.Token!, since: kept - 1);
        var replay = early.Replay.Where(e => TestSocket.Type(e) != "system").ToList();
        Assert.Equal([kept, gone, Id(edit), Id(deletion)], replay.Select(Id));
        Assert.Equal("edited", replay[0].Text("text"));
        Assert.Equal(edit.Text("ts"), replay[0].Text("edited"));
        Assert.True(replay[1].GetProperty("deleted").GetBoolean());
        Assert.Null(replay[1].Text("text"));
        Assert.Equal(["edit", "delete"], replay.Skip(2).Select(e => e.Text("type")));
        Assert.All(replay, e => Assert.True(e.GetProperty("replay").GetBoolean()));

        // From after both messages: only the changes, which the client applies to what it has.
        await using var late = await _server.ConnectAsync(ann.Token!, since: gone);
        Assert.Equal([Id(edit), Id(deletion)], late.Replay.Where(e => TestSocket.Type(e) != "system").Select(Id));
    }

    [Fact]
    public async Task ADefaultReplayShowsCurrentStateWithoutTheChangeEvents()
    {
        await using var ann = await _server.JoinAsync("ann");
        var kept = await SayAsync(ann, "before edit");
        var gone = await SayAsync(ann, "before delete");
        await ann.SendJsonAsync(new { type = "edit", target = kept, text = "after edit" });
        await ann.ExpectAsync("edit");
        await ann.SendJsonAsync(new { type = "edit", target = gone, text = "edited, then deleted" });
        await ann.ExpectAsync("edit");
        await ann.SendJsonAsync(new { type = "delete", target = gone });
        await ann.ExpectAsync("delete");

        await using var bob = await _server.JoinAsync("bob");
        Assert.Equal([kept, gone], bob.Replay.Select(Id));
        Assert.Equal("after edit", bob.Replay[0].Text("text"));
        Assert.NotNull(bob.Replay[0].Text("edited"));
        Assert.True(bob.Replay[1].GetProperty("deleted").GetBoolean());
        Assert.DoesNotContain("deleted\"", bob.Replay[0].GetRawText());
        Assert.DoesNotContain("before delete", bob.Replay[1].GetRawText());
    }

    [Fact]
    public async Task EditsAndDeletionsAreOnDiskAfterARestart()
    {
        await using var ann = await _server.JoinAsync("ann");
        var kept = await SayAsync(ann, "old text");
        var gone = await SayAsync(ann, "gone text");
        await ann.SendJsonAsync(new { type = "edit", target = kept, text = "new text" });
        var edit = await ann.ExpectAsync("edit");
        await ann.SendJsonAsync(new { type = "edit", target = gone, text = "secret second thoughts" });
        await ann.ExpectAsync("edit");
        await ann.SendJsonAsync(new { type = "delete", target = gone });
        await ann.ExpectAsync("delete");
        await ann.DisposeAsync();

        await _server.RestartAsync();

        await using var again = await _server.ConnectAsync(ann.Token!, since: 0);
        var all = again.Replay.Select(e => e.GetRawText()).ToList();
        Assert.DoesNotContain(all, e => e.Contains("old text") || e.Contains("gone text") || e.Contains("secret second thoughts"));
        var message = again.Replay.Single(e => Id(e) == kept);
        Assert.Equal("new text", message.Text("text"));
        Assert.Equal(edit.Text("ts"), message.Text("edited"));
        Assert.True(again.Replay.Single(e => Id(e) == gone).GetProperty("deleted").GetBoolean());
    }
}
