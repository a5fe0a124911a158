using System.Net;
using System.Net.WebSockets;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Connections;

public sealed class HostileInputTests
{
    public static TheoryData<string> DeepMarkdown() => new()
    {
        new string('[', 130) + "x" + new string(']', 130),
        string.Concat(Enumerable.Repeat("- ", 100)) + "x",
        string.Concat(Enumerable.Range(0, 60).Select(i => new string(' ', i * 2) + "- x\n")),
        string.Concat(Enumerable.Repeat("> ", 200)) + "x",
        string.Concat(Enumerable.Repeat("*_", 400)) + "x" + string.Concat(Enumerable.Repeat("_*", 400)),
    };

    [Theory]
    [MemberData(nameof(DeepMarkdown))]
    public async Task DeeplyNestedMarkdownIsRefusedAsBadFrameAndTheSocketStaysOpen(string text)
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("jim");
        await jim.SendJsonAsync(new { type = "message", text, clientId = "deep" });
        var frame = await jim.NextAsync(f => TestSocket.Type(f) is "error" or "message");
        // Refused, or (if Markdig copes with this shape) rendered: never a dropped socket.
        if (TestSocket.Type(frame) == "error")
        {
            Assert.Equal("bad_frame", frame.Text("code"));
            Assert.Equal("deep", frame.Text("clientId"));
        }
        await jim.SendJsonAsync(new { type = "message", text = "still here" });
        await jim.ExpectMessageAsync("still here");

        using var http = server.Client(jim.Token);
        var (status, body) = await http.PostJsonAsync("/api/messages", new { text, clientId = "deep-http" });
        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.Created, $"{(int)status} {body}");
        if (status == HttpStatusCode.BadRequest) Assert.Equal("bad_frame", body.Text("error"));
    }

    [Fact]
    public async Task ABracketNestingThatBreaksMarkdigIsRefusedNotAnInternalError()
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("jim");
        var text = new string('[', 130) + "x" + new string(']', 130) + "(http://a.example)";
        await jim.SendJsonAsync(new { type = "message", text, clientId = "b" });
        var frame = await jim.NextAsync(f => TestSocket.Type(f) is "error" or "message");
        Assert.True(TestSocket.Type(frame) == "error" || frame.Text("html")!.Length > 0);
        using var http = server.Client(jim.Token);
        var (status, _) = await http.PostJsonAsync("/api/messages", new { text });
        Assert.NotEqual(HttpStatusCode.InternalServerError, status);
    }

    [Theory]
    [InlineData("{\"type\":\"message\",\"text\":\"a\\ud800b\",\"clientId\":\"s1\"}", "s1", true)]
    [InlineData("{\"type\":\"message\",\"text\":\"\\udc00\",\"clientId\":\"s1\"}", "s1", true)]
    [InlineData("{\"type\":\"message\",\"text\":\"ok\",\"to\":\"\\ud800\",\"clientId\":\"s1\"}", "s1", true)]
    [InlineData("{\"type\":\"message\",\"text\":\"ok\",\"clientId\":\"\\ud800\"}", null, true)]
    [InlineData("{\"type\":\"\\ud800\"}", null, false)] // the HTTP body has no type
    public async Task ALoneSurrogateIsRefusedAsBadFrameOverWebSocketAndHttp(string frame, string? clientId, bool overHttpToo)
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("jim");
        await jim.SendTextAsync(frame);
        var error = await jim.ExpectAsync("error");
        Assert.Equal("bad_frame", error.Text("code"));
        Assert.Equal(clientId, error.Text("clientId"));
        await jim.SendJsonAsync(new { type = "message", text = "still here" });
        await jim.ExpectMessageAsync("still here");

        if (!overHttpToo) return;
        using var http = server.Client(jim.Token);
        var (status, body) = await http.PostRawAsync("/api/messages", frame);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_frame", body.Text("error"));
        Assert.Equal(clientId, body.Text("clientId"));
    }

    [Fact]
    public async Task ABadFrameRefusalCarriesTheClientIdWhenItCouldBeRead()
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("jim");
        await jim.SendTextAsync("{\"type\":\"message\",\"text\":42,\"clientId\":\"x\"}");
        var error = await jim.ExpectAsync("error");
        Assert.Equal("bad_frame", error.Text("code"));
        Assert.Equal("x", error.Text("clientId"));
        await jim.SendTextAsync("{\"type\":\"nonsense\",\"clientId\":\"y\"}");
        Assert.Equal("y", (await jim.ExpectAsync("error")).Text("clientId"));

        using var http = server.Client(jim.Token);
        var (status, body) = await http.PostRawAsync("/api/messages", "{\"text\":42,\"clientId\":\"x\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("x", body.Text("clientId"));
    }
}
