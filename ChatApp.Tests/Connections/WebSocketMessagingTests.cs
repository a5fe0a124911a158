using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Connections;

public sealed class WebSocketMessagingTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new() { ["Chat:MaxMessageLength"] = "100" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task WelcomeIsTheFirstFrameAndCarriesTheUserAndLastId()
    {
        await using var jim = await _server.JoinAsync("jim");
        Assert.Equal("jim", jim.Welcome.GetProperty("user").GetString());
        Assert.True(jim.Welcome.GetProperty("lastId").GetInt64() >= 0);
    }

    [Fact]
    public async Task AMessageIsEchoedToAllTheSendersConnectionsAndDeliveredToEveryoneElse()
    {
        await using var jimTab1 = await _server.JoinAsync("jim");
        await using var jimTab2 = await _server.ConnectAsync(jimTab1.Token!);
        await using var ann = await _server.JoinAsync("ann");
        await jimTab1.SendJsonAsync(new { type = "message", text = "**hi** all" });

        foreach (var socket in new[] { jimTab1, jimTab2, ann })
        {
            var message = await socket.ExpectMessageAsync("**hi** all");
            Assert.Equal("jim", message.GetProperty("from").GetString());
            Assert.Equal("<p><strong>hi</strong> all</p>\n", message.GetProperty("html").GetString());
            Assert.True(message.GetProperty("id").GetInt64() > 0);
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", message.GetProperty("ts").GetString());
            Assert.False(message.TryGetProperty("to", out _));
        }
    }

    [Fact]
    public async Task ATextFrameThatIsNotAJsonObjectIsAPublicMessage()
    {
        await using var jim = await _server.JoinAsync("jim");
        await jim.SendTextAsync("just words, not JSON");
        await jim.ExpectMessageAsync("just words, not JSON");
        await jim.SendTextAsync("[1,2,3]");
        await jim.ExpectMessageAsync("[1,2,3]");
    }

    [Fact]
    public async Task PingIsAnsweredWithPong()
    {
        await using var jim = await _server.JoinAsync("jim");
        await jim.SendJsonAsync(new { type = "ping" });
        await jim.ExpectAsync("pong");
    }

    [Theory]
    [InlineData("""{"type":"nonsense"}""", "bad_frame")]
    [InlineData("""{"text":"no type"}""", "bad_frame")]
    [InlineData("""{"type":"message","text":42}""", "bad_frame")]
    [InlineData("""{"type":"message","text":"x","to":["a"]}""", "bad_frame")]
    [InlineData("""{"type":"message","text":"   "}""", "empty")]
    [InlineData("""{"type":"message","text":""}""", "empty")]
    [InlineData("""{"type":"message","text":"hi","to":"nobody-ever"}""", "unknown_user")]
    public async Task RefusalsComeAsErrorFramesAndTheConnectionStaysUsable(string frame, string code)
    {
        await using var jim = await _server.JoinAsync("jim");
        await jim.SendTextAsync(frame);
        var error = await jim.ExpectAsync("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        await jim.SendJsonAsync(new { type = "message", text = "still here" });
        await jim.ExpectMessageAsync("still here");
    }

    [Fact]
    public async Task AMessageOverMaxMessageLengthIsTooLongAndCarriesTheClientId()
    {
        await using var jim = await _server.JoinAsync("jim");
        await jim.SendJsonAsync(new { type = "message", text = new string('x', 101), clientId = "c-long" });
        var error = await jim.ExpectAsync("error");
        Assert.Equal("too_long", error.GetProperty("code").GetString());
        Assert.Equal("c-long", error.GetProperty("clientId").GetString());
        // Far over the limit, the frame is refused without being kept.
        await jim.SendJsonAsync(new { type = "message", text = new string('y', 200_000) });
        Assert.Equal("too_long", (await jim.ExpectAsync("error")).GetProperty("code").GetString());
        await jim.SendJsonAsync(new { type = "message", text = new string('z', 100) });
        await jim.ExpectMessageAsync(new string('z', 100));
    }

    [Fact]
    public async Task TheSameClientIdTwiceStoresOneMessageAndEchoesItAgain()
    {
        await using var jim = await _server.JoinAsync("jim");
        await using var ann = await _server.JoinAsync("ann");
        await jim.SendJsonAsync(new { type = "message", text = "once", clientId = "abc-1" });
        var first = await jim.ExpectMessageAsync("once");
        await jim.SendJsonAsync(new { type = "message", text = "once", clientId = "abc-1" });
        var second = await jim.ExpectMessageAsync("once");
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.Equal("abc-1", second.GetProperty("clientId").GetString());

        await ann.ExpectMessageAsync("once");
        await jim.SendJsonAsync(new { type = "message", text = "marker" });
        var next = await ann.ExpectAsync("message");
        Assert.Equal("marker", next.GetProperty("text").GetString()); // ann never saw a second "once"
    }

    [Fact]
    public async Task OverTheRateLimitSendsAreRefusedAndTheConnectionStaysUsable()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:RateLimit:Messages"] = "3",
            ["Chat:RateLimit:PerSeconds"] = "1",
        }, clock: clock);
        await using var jim = await server.JoinAsync("jim");
        for (var i = 0; i < 4; i++) await jim.SendJsonAsync(new { type = "message", text = $"m{i}", clientId = $"r{i}" });
        // The refusal is immediate; the echoes wait for their commit, so the two may come in either order.
        var frames = new List<System.Text.Json.JsonElement>();
        while (frames.Count(f => TestSocket.Type(f) is "message" or "error") < 4) frames.Add(await jim.ReceiveJsonAsync());
        Assert.Equal(["m0", "m1", "m2"], frames.Where(f => TestSocket.Type(f) == "message").Select(f => f.GetProperty("text").GetString()));
        var error = Assert.Single(frames, f => TestSocket.Type(f) == "error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Equal("r3", error.GetProperty("clientId").GetString());

        clock.Advance(TimeSpan.FromSeconds(1));
        await jim.SendJsonAsync(new { type = "message", text = "after the window" });
        await jim.ExpectMessageAsync("after the window");
    }

    [Fact]
    public async Task TheRateLimitCountsAllOfAUsersConnections()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:RateLimit:Messages"] = "2",
            ["Chat:RateLimit:PerSeconds"] = "60",
        });
        await using var tab1 = await server.JoinAsync("jim");
        await using var tab2 = await server.ConnectAsync(tab1.Token!);
        await tab1.SendJsonAsync(new { type = "message", text = "one" });
        await tab1.ExpectMessageAsync("one");
        await tab2.SendJsonAsync(new { type = "message", text = "two" });
        await tab2.ExpectMessageAsync("two");
        await tab2.SendJsonAsync(new { type = "message", text = "three" });
        Assert.Equal("rate_limited", (await tab2.ExpectAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnUnexpectedBinaryFrameIsRefused()
    {
        await using var jim = await _server.JoinAsync("jim");
        await jim.SendBinaryAsync(new byte[] { 1, 2, 3 });
        Assert.Equal("unexpected_binary", (await jim.ExpectAsync("error")).GetProperty("code").GetString());
        await jim.SendJsonAsync(new { type = "message", text = "fine" });
        await jim.ExpectMessageAsync("fine");
    }
}
