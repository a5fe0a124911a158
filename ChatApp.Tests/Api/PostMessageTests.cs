using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

public sealed class PostMessageTests
{
    [Fact]
    public async Task AMessagePostedOverHttpIsStoredAndReachesWebSocketClients()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.JoinAsync("bob");
        var annToken = await server.SignInAsync("ann");
        await using var annSocket = await server.ConnectAsync(annToken);
        using var ann = server.Client(annToken);

        var (status, stored) = await ann.PostJsonAsync("/api/messages", new { text = "**hi** from http", clientId = "c1" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("message", stored.Text("type"));
        Assert.Equal("ann", stored.Text("from"));
        Assert.Equal("<p><strong>hi</strong> from http</p>\n", stored.Text("html"));
        Assert.Equal("c1", stored.Text("clientId"));
        Assert.False(stored.TryGetProperty("to", out _));
        var id = stored.GetProperty("id").GetInt64();
        Assert.Equal(id, (await bob.ExpectMessageAsync("**hi** from http")).GetProperty("id").GetInt64());
        // The sender's own sockets hear it too: that is their confirmation.
        Assert.Equal(id, (await annSocket.ExpectMessageAsync("**hi** from http")).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AMessageSentOverWebSocketCanBeReadOverHttpAsTheSocketSentIt()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.JoinAsync("bob");
        using var ann = server.Client(await server.SignInAsync("ann"));

        await bob.SendJsonAsync(new { type = "message", text = "from the socket" });
        var echo = await bob.ExpectMessageAsync("from the socket");

        var events = await ann.MessagesAsync("?since=0");
        var message = Assert.Single(events, e => e.Text("type") == "message");
        Assert.Equal(echo.ToString(), message.ToString());
        Assert.Contains(events, e => e.Text("type") == "system" && e.Text("event") == "join" && e.Text("user") == "bob");
        Assert.True(events.Select(e => e.GetProperty("id").GetInt64()).SequenceEqual(events.Select(e => e.GetProperty("id").GetInt64()).Order()));
    }

    [Fact]
    public async Task ARepeatedClientIdAnswersWithTheStoredEventAndStoresNothingTwice()
    {
        await using var server = await ChatServer.StartAsync();
        using var ann = server.Client(await server.SignInAsync("ann"));

        var (first, stored) = await ann.PostJsonAsync("/api/messages", new { text = "once", clientId = "same" });
        var (second, again) = await ann.PostJsonAsync("/api/messages", new { text = "once", clientId = "same" });

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.Created, second);
        Assert.Equal(stored.ToString(), again.ToString());
        Assert.Single(await ann.MessagesAsync("?since=0"));
    }

    [Theory]
    [InlineData("""{"text":""}""", 400, "empty")]
    [InlineData("""{"text":"   "}""", 400, "empty")]
    [InlineData("""{}""", 400, "empty")]
    [InlineData("""{"text":"eleven char"}""", 400, "too_long")]
    [InlineData("""{"text":"hi","to":"nobody"}""", 404, "unknown_user")]
    [InlineData("""not json at all""", 400, "bad_frame")]
    [InlineData("""{"text":"unfinished""", 400, "bad_frame")]
    [InlineData("""["hi"]""", 400, "bad_frame")]
    [InlineData("""{"text":5}""", 400, "bad_frame")]
    [InlineData("""{"text":"hi","to":true}""", 400, "bad_frame")]
    [InlineData("""{"text":"hi","clientId":{}}""", 400, "bad_frame")]
    [InlineData("""{"text":"hi","clientId":"12345678901234567890123456789012345678901234567890123456789012345"}""", 400, "bad_frame")]
    public async Task ARefusedPostAnswersItsCodeAndStatusAndStoresNothing(string body, int status, string code)
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:MaxMessageLength"] = "10" });
        using var ann = server.Client(await server.SignInAsync("ann"));

        var (answer, refusal) = await ann.PostRawAsync("/api/messages", body);

        Assert.Equal(status, (int)answer);
        Assert.Equal(code, refusal.Text("error"));
        Assert.False(string.IsNullOrEmpty(refusal.Text("message")));
        Assert.Empty(await ann.MessagesAsync("?since=0"));
        // Nothing else is lost: the next good post goes through.
        Assert.Equal(HttpStatusCode.Created, (await ann.PostJsonAsync("/api/messages", new { text = "fine" })).Status);
    }

    [Fact]
    public async Task ABodyFarLongerThanAnyMessageIsRefusedAsTooLong()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:MaxMessageLength"] = "10" });
        using var ann = server.Client(await server.SignInAsync("ann"));

        var (status, refusal) = await ann.PostJsonAsync("/api/messages", new { text = new string('x', 100_000) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("too_long", refusal.Text("error"));
    }

    [Fact]
    public async Task PostingOverTheRateLimitIsRefused429WithTheClientId()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:RateLimit:Messages"] = "3",
            ["Chat:RateLimit:PerSeconds"] = "60",
        });
        using var ann = server.Client(await server.SignInAsync("ann"));
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await ann.PostJsonAsync("/api/messages", new { text = $"m{i}" })).Status);

        var (status, refusal) = await ann.PostJsonAsync("/api/messages", new { text = "one too many", clientId = "x" });

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limited", refusal.Text("error"));
        Assert.Equal("x", refusal.Text("clientId"));
        Assert.Equal(3, (await ann.MessagesAsync("?since=0")).Count);
    }

    [Theory]
    [InlineData("GET", "/api/roster")]
    [InlineData("GET", "/api/messages")]
    [InlineData("GET", "/api/messages?wait=5")]
    [InlineData("POST", "/api/messages")]
    public async Task RequestsWithoutASessionAreRefused401(string method, string url)
    {
        await using var server = await ChatServer.StartAsync();
        using var anonymous = server.Client();
        using var forged = server.Client("not-a-token");

        foreach (var client in new[] { anonymous, forged })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method == "POST") request.Content = new StringContent("""{"text":"hi"}""", System.Text.Encoding.UTF8, "application/json");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("unauthorized", body.Text("error"));
        }
    }

    [Fact]
    public async Task TheSessionCookieSignsInAsWellAsTheToken()
    {
        await using var server = await ChatServer.StartAsync();
        var (_, cookie) = await server.SignInWithCookieAsync("ann");
        using var cookieClient = server.Client();
        cookieClient.DefaultRequestHeaders.Add("Cookie", cookie);
        cookieClient.DefaultRequestHeaders.Add("Origin", server.Origin);

        var (status, stored) = await cookieClient.PostJsonAsync("/api/messages", new { text = "by cookie" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("ann", stored.Text("from"));
    }
}
