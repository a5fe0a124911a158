using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

public sealed class PagingTests
{
    [Fact]
    public async Task SinceAndLimitPageForwardThroughTheEventsOldestFirst()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));
        var ids = new List<long>();
        for (var i = 1; i <= 5; i++)
            ids.Add((await ann.PostJsonAsync("/api/messages", new { text = $"m{i}" })).Body.GetProperty("id").GetInt64());

        var first = await ann.MessagesAsync("?since=0&limit=2");
        var second = await ann.MessagesAsync($"?since={ids[1]}&limit=2");
        var rest = await ann.MessagesAsync($"?since={ids[3]}");
        var none = await ann.MessagesAsync($"?since={ids[4]}");

        Assert.Equal(["m1", "m2"], first.Select(e => e.Text("text")));
        Assert.Equal(["m3", "m4"], second.Select(e => e.Text("text")));
        Assert.Equal(["m5"], rest.Select(e => e.Text("text")));
        Assert.Empty(none);
    }

    [Fact]
    public async Task TheLimitDefaultsToAndIsCappedAtMaxReplay()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:MaxReplay"] = "3" });
        using var ann = server.Client(await server.SignInAsync("ann"));
        for (var i = 1; i <= 5; i++) await ann.PostJsonAsync("/api/messages", new { text = $"m{i}" });

        Assert.Equal(["m1", "m2", "m3"], (await ann.MessagesAsync("?since=0")).Select(e => e.Text("text")));
        Assert.Equal(["m1", "m2", "m3"], (await ann.MessagesAsync("?since=0&limit=100")).Select(e => e.Text("text")));
    }

    [Theory]
    [InlineData("?since=abc")]
    [InlineData("?since=-1")]
    [InlineData("?since=1.5")]
    [InlineData("?limit=0")]
    [InlineData("?limit=-3")]
    [InlineData("?limit=ten")]
    [InlineData("?wait=-1")]
    [InlineData("?wait=0.5")]
    [InlineData("?since=99999999999999999999999")]
    public async Task BadQueryValuesAreRefused400(string query)
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));

        var (status, body) = await ann.GetJsonAsync($"/api/messages{query}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.Text("error"));
    }
}
