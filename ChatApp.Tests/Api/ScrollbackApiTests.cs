using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

/// <summary>GET /api/messages?before=&lt;id&gt;&amp;limit= (PROTOCOL.md §3): paging backward.</summary>
public sealed class ScrollbackApiTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Chat:RateLimit:Messages"] = "10000",
        ["Chat:RateLimit:PerSeconds"] = "1",
        ["Chat:ArchiveCapacity"] = "8", // most of the history is read from disk, the newest from memory
    };

    [Fact]
    public async Task BeforeAnIdGivesTheNewestEventsBeforeItOldestFirstFromMemoryAndDisk()
    {
        await using var server = await ChatServer.StartAsync(Settings);
        var ann = server.Client(await server.SignInAsync("ann"));
        var ids = new List<long>();
        for (var i = 1; i <= 30; i++)
        {
            var (status, body) = await ann.PostJsonAsync("/api/messages", new { text = $"m{i}" });
            Assert.Equal(HttpStatusCode.Created, status);
            ids.Add(body.GetProperty("id").GetInt64());
        }

        var page = await ann.MessagesAsync($"?before={ids[25]}&limit=10");
        Assert.Equal(Enumerable.Range(16, 10).Select(i => $"m{i}"), page.Select(e => e.Text("text")));

        var first = await ann.MessagesAsync($"?before={ids[3]}&limit=10");
        Assert.Equal(["m1", "m2", "m3"], first.Select(e => e.Text("text")));
        Assert.Empty(await ann.MessagesAsync($"?before={ids[0]}"));

        var newest = await ann.MessagesAsync($"?before={ids[^1] + 1}&limit=3");
        Assert.Equal(["m28", "m29", "m30"], newest.Select(e => e.Text("text")));
    }

    [Fact]
    public async Task OtherPeoplesPrivateMessagesAreNotInAPageBackward()
    {
        await using var server = await ChatServer.StartAsync(Settings);
        var ann = server.Client(await server.SignInAsync("ann"));
        var bob = server.Client(await server.SignInAsync("bob"));
        await server.SignInAsync("cid");
        await ann.PostJsonAsync("/api/messages", new { text = "public one" });
        await ann.PostJsonAsync("/api/messages", new { text = "to cid only", to = "cid" });
        var (_, last) = await ann.PostJsonAsync("/api/messages", new { text = "public two" });

        var page = await bob.MessagesAsync($"?before={last.GetProperty("id").GetInt64() + 1}");
        Assert.Equal(["public one", "public two"], page.Where(e => e.Text("type") == "message").Select(e => e.Text("text")));
    }

    [Theory]
    [InlineData("?before=abc")]
    [InlineData("?before=-1")]
    [InlineData("?before=5&wait=1")]
    [InlineData("?before=5&since=1")]
    public async Task AMalformedOrContradictoryBeforeIsABadRequest(string query)
    {
        await using var server = await ChatServer.StartAsync();
        var ann = server.Client(await server.SignInAsync("ann"));

        var (status, body) = await ann.GetJsonAsync("/api/messages" + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.Text("error"));
    }
}
