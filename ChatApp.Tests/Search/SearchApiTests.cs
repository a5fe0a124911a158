using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Search;

/// <summary>GET /api/search (PROTOCOL.md §3): visible messages (current text) and files (by name), newest first.</summary>
public sealed class SearchApiTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static long Id(JsonElement e) => e.GetProperty("id").GetInt64();

    private static async Task<long> PostAsync(HttpClient client, string text, string? to = null)
    {
        var (status, stored) = await client.PostJsonAsync("/api/messages", new { text, to });
        Assert.Equal(HttpStatusCode.Created, status);
        return Id(stored);
    }

    private static async Task<List<JsonElement>> SearchAsync(HttpClient client, string q)
    {
        var (status, body) = await client.GetJsonAsync($"/api/search?q={Uri.EscapeDataString(q)}");
        Assert.True(status == HttpStatusCode.OK, $"search {q}: {(int)status} {body}");
        return body.EnumerateArray().ToList();
    }

    [Fact]
    public async Task AllWordsMustMatchAsPrefixesNewestFirstWithMarkedEscapedSnippets()
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        var first = await PostAsync(ann, "The <b>quick</b> brown fox");
        await PostAsync(ann, "a quick reply");
        var third = await PostAsync(ann, "Quicker foxes & hounds");

        var hits = await SearchAsync(ann, "quick fox");

        Assert.Equal([third, first], hits.Select(Id));
        Assert.Equal("message", hits[0].Text("type"));
        Assert.Equal("ann", hits[0].Text("from"));
        Assert.Equal("Quicker foxes & hounds", hits[0].Text("text"));
        Assert.Equal("<mark>Quicker</mark> <mark>foxes</mark> &amp; hounds", hits[0].Text("snippet"));
        Assert.Equal("The &lt;b&gt;<mark>quick</mark>&lt;/b&gt; brown <mark>fox</mark>", hits[1].Text("snippet"));
        Assert.NotNull(hits[0].Text("ts"));
    }

    [Fact]
    public async Task SearchNeverReturnsAnotherUsersPrivateMessages()
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        using var bob = _server.Client(await _server.SignInAsync("bob"));
        using var carl = _server.Client(await _server.SignInAsync("carl"));
        var secret = await PostAsync(bob, "secret pineapple plans", to: "carl");
        var open = await PostAsync(ann, "public pineapple");

        Assert.Equal([open], (await SearchAsync(ann, "pineapple")).Select(Id));
        Assert.Empty(await SearchAsync(ann, "secret"));
        var carlsHits = await SearchAsync(carl, "pineapple");
        Assert.Equal([open, secret], carlsHits.Select(Id));
        Assert.Equal("carl", carlsHits[1].Text("to"));
        Assert.Equal([open, secret], (await SearchAsync(bob, "pineapple")).Select(Id));
    }

    [Fact]
    public async Task EditedMessagesAreFoundByTheirCurrentTextAndDeletedOnesNotAtAll()
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        var edited = await PostAsync(ann, "original walrus");
        var deleted = await PostAsync(ann, "doomed walrus");
        Assert.Equal(HttpStatusCode.OK, (await ann.PatchJsonAsync($"/api/messages/{edited}", new { text = "revised narwhal" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await ann.DeleteJsonAsync($"/api/messages/{deleted}")).Status);

        Assert.Empty(await SearchAsync(ann, "walrus"));
        var hit = Assert.Single(await SearchAsync(ann, "narwhal"));
        Assert.Equal(edited, Id(hit));
        Assert.Equal("revised narwhal", hit.Text("text"));
    }

    [Fact]
    public async Task FilesAreFoundByName()
    {
        await using var ann = await _server.JoinAsync("ann");
        await ann.SendFileAsync("Quarterly-Report.pdf", "application/pdf", "%PDF"u8.ToArray());
        var file = await ann.ExpectAsync("file");
        using var http = _server.Client(ann.Token);

        var hit = Assert.Single(await SearchAsync(http, "quarterly report"));
        Assert.Equal("file", hit.Text("type"));
        Assert.Equal(Id(file), Id(hit));
        Assert.Equal("Quarterly-Report.pdf", hit.Text("name"));
        Assert.Null(hit.Text("text"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("q=")]
    [InlineData("q=%20%20")]
    [InlineData("q=--")]
    [InlineData("q=cat&limit=0")]
    [InlineData("q=cat&limit=many")]
    public async Task AnEmptyQueryOrBadLimitIsABadRequest(string query)
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        var (status, body) = await ann.GetJsonAsync($"/api/search?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.Text("error"));
    }

    [Fact]
    public async Task AnOverLongQueryIsABadRequestAndSignedOutReadersAreRefused()
    {
        using var ann = _server.Client(await _server.SignInAsync("ann"));
        var (status, body) = await ann.GetJsonAsync($"/api/search?q={new string('a', 201)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.Text("error"));
        using var stranger = _server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetJsonAsync("/api/search?q=cat")).Status);
    }
}
