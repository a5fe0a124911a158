using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

/// <summary>PATCH and DELETE /api/messages/{id} (PROTOCOL.md §2.4, §3): one's own messages only, seen by everyone entitled.</summary>
public sealed class EditDeleteApiTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static long Id(JsonElement e) => e.GetProperty("id").GetInt64();

    private async Task<long> PostAsync(HttpClient client, string text, string? to = null)
    {
        var (status, stored) = await client.PostJsonAsync("/api/messages", new { text, to });
        Assert.Equal(HttpStatusCode.Created, status);
        return Id(stored);
    }

    [Fact]
    public async Task AnAuthorEditsTheirMessageAndEveryoneSeesTheNewTextAndMentions()
    {
        await using var bob = await _server.JoinAsync("bob");
        var annToken = await _server.SignInAsync("ann");
        using var ann = _server.Client(annToken);
        var id = await PostAsync(ann, "hello **world**");

        var (status, edit) = await ann.PatchJsonAsync($"/api/messages/{id}", new { text = "hello @Bob, *again*", clientId = "e1" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("edit", edit.Text("type"));
        Assert.Equal(id, edit.GetProperty("target").GetInt64());
        Assert.True(Id(edit) > id);
        Assert.Equal("ann", edit.Text("from"));
        Assert.Equal("hello @Bob, *again*", edit.Text("text"));
        Assert.Equal("<p>hello @Bob, <em>again</em></p>\n", edit.Text("html"));
        Assert.Equal(["bob"], edit.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("e1", edit.Text("clientId"));
        var live = await bob.ExpectAsync("edit");
        Assert.Equal(Id(edit), Id(live));
        Assert.Equal(id, live.GetProperty("target").GetInt64());

        // Read back: the message in its current state, then the edit event.
        var events = await ann.MessagesAsync($"?since={id - 1}");
        var message = events.Single(e => Id(e) == id);
        Assert.Equal("hello @Bob, *again*", message.Text("text"));
        Assert.Equal(edit.Text("ts"), message.Text("edited"));
        Assert.Equal(["bob"], message.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains(events, e => e.Text("type") == "edit" && Id(e) == Id(edit));
    }

    [Fact]
    public async Task AnAuthorDeletesTheirMessageAndItIsReadBackWithoutItsText()
    {
        await using var bob = await _server.JoinAsync("bob");
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        var id = await PostAsync(ann, "regrettable words");
        await ann.PatchJsonAsync($"/api/messages/{id}", new { text = "still regrettable" });

        var (status, deletion) = await ann.DeleteJsonAsync($"/api/messages/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("delete", deletion.Text("type"));
        Assert.Equal(id, deletion.GetProperty("target").GetInt64());
        Assert.False(deletion.TryGetProperty("text", out _));
        Assert.Equal(Id(deletion), Id(await bob.ExpectAsync("delete")));

        var events = await ann.MessagesAsync($"?since={id - 1}");
        var message = events.Single(e => Id(e) == id);
        Assert.True(message.GetProperty("deleted").GetBoolean());
        Assert.Equal("ann", message.Text("from"));
        Assert.False(message.TryGetProperty("text", out _));
        Assert.False(message.TryGetProperty("html", out _));
        Assert.DoesNotContain("regrettable", string.Join(' ', events.Select(e => e.GetRawText())));
        Assert.Contains(events, e => e.Text("type") == "delete");
    }

    [Fact]
    public async Task SomeoneElsesMessageIsNotYoursAndStaysAsItWas()
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        using var bob = _server.Client(await _server.SignInAsync("bob"));
        var id = await PostAsync(ann, "ann's words");

        var (editStatus, editBody) = await bob.PatchJsonAsync($"/api/messages/{id}", new { text = "bob's words" });
        var (deleteStatus, deleteBody) = await bob.DeleteJsonAsync($"/api/messages/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, editStatus);
        Assert.Equal("not_yours", editBody.Text("error"));
        Assert.Equal(HttpStatusCode.Forbidden, deleteStatus);
        Assert.Equal("not_yours", deleteBody.Text("error"));
        var events = await ann.MessagesAsync($"?since={id - 1}");
        Assert.Equal("ann's words", Assert.Single(events).Text("text"));
    }

    [Fact]
    public async Task AMissingInvisibleOrDeletedMessageIsNotFound()
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        using var bob = _server.Client(await _server.SignInAsync("bob"));
        await _server.SignInAsync("carl");
        var secret = await PostAsync(bob, "for carl only", to: "carl");
        var deleted = await PostAsync(ann, "soon gone");
        Assert.Equal(HttpStatusCode.OK, (await ann.DeleteJsonAsync($"/api/messages/{deleted}")).Status);

        foreach (var (client, id) in new[] { (ann, 999_999L), (ann, secret), (ann, deleted) })
        {
            var (editStatus, editBody) = await client.PatchJsonAsync($"/api/messages/{id}", new { text = "x" });
            Assert.Equal(HttpStatusCode.NotFound, editStatus);
            Assert.Equal("not_found", editBody.Text("error"));
            var (deleteStatus, deleteBody) = await client.DeleteJsonAsync($"/api/messages/{id}");
            Assert.Equal(HttpStatusCode.NotFound, deleteStatus);
            Assert.Equal("not_found", deleteBody.Text("error"));
        }
    }

    [Fact]
    public async Task SystemEventsAreNotYoursAndFilesCannotBeEditedAndTextIsCheckedAsForPosts()
    {
        await using var ann = await _server.JoinAsync("ann");
        var join = await ann.ExpectAsync("system", e => e.Text("event") == "join");
        using var http = _server.Client(ann.Token);
        await ann.SendFileAsync("notes.txt", "text/plain", "abc"u8.ToArray());
        var file = await ann.ExpectAsync("file");
        var message = await PostAsync(http, "a message");

        Assert.Equal((HttpStatusCode.Forbidden, "not_yours"), await RefusalAsync(http.PatchJsonAsync($"/api/messages/{Id(join)}", new { text = "x" })));
        Assert.Equal((HttpStatusCode.Forbidden, "not_yours"), await RefusalAsync(http.DeleteJsonAsync($"/api/messages/{Id(join)}")));
        Assert.Equal((HttpStatusCode.BadRequest, "bad_frame"), await RefusalAsync(http.PatchJsonAsync($"/api/messages/{Id(file)}", new { text = "x" })));
        Assert.Equal((HttpStatusCode.BadRequest, "empty"), await RefusalAsync(http.PatchJsonAsync($"/api/messages/{message}", new { text = "  " })));
        Assert.Equal((HttpStatusCode.BadRequest, "too_long"), await RefusalAsync(http.PatchJsonAsync($"/api/messages/{message}", new { text = new string('x', 4001) })));
        Assert.Equal((HttpStatusCode.BadRequest, "bad_frame"), await RefusalAsync(http.PatchJsonAsync($"/api/messages/{message}", new { text = 5 })));
        Assert.Equal("a message", Assert.Single(await http.MessagesAsync($"?since={message - 1}")).Text("text"));
    }

    private static async Task<(HttpStatusCode, string?)> RefusalAsync(Task<(HttpStatusCode Status, JsonElement Body)> request)
    {
        var (status, body) = await request;
        return (status, body.Text("error"));
    }

    [Fact]
    public async Task APrivateMessagesEditAndDeletionReachOnlyItsTwoParties()
    {
        await using var bob = await _server.JoinAsync("bob");
        await using var carl = await _server.JoinAsync("carl");
        var annToken = await _server.SignInAsync("ann");
        using var ann = _server.Client(annToken);
        var id = await PostAsync(ann, "psst", to: "bob");
        await bob.ExpectMessageAsync("psst");

        var (_, edit) = await ann.PatchJsonAsync($"/api/messages/{id}", new { text = "psst!" });
        var (_, deletion) = await ann.DeleteJsonAsync($"/api/messages/{id}");
        await PostAsync(ann, "public marker");

        Assert.Equal("bob", edit.Text("to"));
        Assert.Equal("bob", deletion.Text("to"));
        Assert.Equal(Id(edit), Id(await bob.ExpectAsync("edit")));
        Assert.Equal(Id(deletion), Id(await bob.ExpectAsync("delete")));
        var seenByCarl = await carl.NextAsync(e => e.Text("type") is "edit" or "delete" || e.Text("text") == "public marker");
        Assert.Equal("public marker", seenByCarl.Text("text"));
    }
}
