using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.StompJsClient;

namespace ChatApp.Tests.Stomp;

/// <summary>Unmodified @stomp/stompjs v7 clients (Node.js) in the same room as /ws clients: the interop matrix.</summary>
public sealed class StompJsInteropTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new() { ["Chat:Stomp:HeartBeatMilliseconds"] = "1000" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, bool> Matrix => new()
    {
        { "1.2", true }, { "1.2", false },
        { "1.1", true }, { "1.1", false },
        { "1.0", true }, { "1.0", false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task AStompJsClientOfEachVersionChatsBothWaysWithAWebSocketClient(string version, bool heartBeats)
    {
        var name = $"js{version.Replace(".", "")}{(heartBeats ? "hb" : "")}";
        var token = await _server.SignInAsync(name);
        await using var ws = await _server.JoinAsync($"ws{name}");
        var (js, connected) = await ConnectAsync(_server, name, token, versions: [version], heartbeat: heartBeats ? [1000, 1000] : [0, 0]);
        await using var _ = js;

        Assert.Equal(version, Header(connected, "version"));
        Assert.Equal(name, Header(connected, "user-name"));
        Assert.Equal($"v{version.Replace(".", "")}.stomp", connected.GetProperty("protocol").GetString());
        Assert.Equal("1000,1000", Header(connected, "heart-beat")); // beats of a second: a loaded machine can stall a process for a few hundred ms

        await js.SubscribeAsync("/topic/chat");
        var roster = await js.ExpectAsync("message");
        Assert.Equal("true", Header(roster, "roster"));
        Assert.Contains(name, Body(roster).GetProperty("users").EnumerateArray().Select(u => u.GetString()));

        await js.PublishAsync("/topic/chat", $"hello from {name}", receipt: "r1");
        var echo = await js.ExpectTextAsync($"hello from {name}");
        Assert.Equal(name, Header(echo, "sender"));
        Assert.Equal("application/json", Header(echo, "content-type"));
        Assert.Equal(Body(echo).GetProperty("id").GetInt64().ToString(), Header(echo, "message-id"));
        Assert.Equal(Header(roster, "subscription"), Header(echo, "subscription"));
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "r1");
        await ws.ExpectMessageAsync($"hello from {name}");

        await ws.SendJsonAsync(new { type = "message", text = $"hello back to {name}" });
        await js.ExpectTextAsync($"hello back to {name}");
    }

    [Fact]
    public async Task ConnectRefusedWithAnotherUsersTokenGetsAnErrorFrameBeforeTheClose()
    {
        await _server.SignInAsync("victim");
        var attackerToken = await _server.SignInAsync("attacker");
        await using var js = Start(_server);
        await js.SendAsync(new { op = "connect", login = "victim", passcode = attackerToken, versions = new[] { "1.2" }, heartbeat = new[] { 0, 0 } });
        var error = await js.ExpectAsync("error");
        Assert.Equal("unauthorized", Header(error, "message"));
        await js.ExpectAsync("close");
    }
}
