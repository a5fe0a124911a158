using System.Net;
using System.Net.WebSockets;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Stomp;

public sealed class StompHandshakeTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ChatServer.StartAsync(new() { ["Chat:AllowedOrigins:0"] = "https://friend.example" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(new[] { "v10.stomp", "v11.stomp", "v12.stomp" }, "v12.stomp")]
    [InlineData(new[] { "v11.stomp", "v10.stomp" }, "v11.stomp")]
    [InlineData(new[] { "v10.stomp" }, "v10.stomp")]
    [InlineData(new[] { "mqtt", "v11.stomp" }, "v11.stomp")]
    public async Task TheUpgradeEchoesTheBestOfTheOfferedSubprotocols(string[] offered, string chosen)
    {
        await using var client = await RawStompClient.OpenAsync(_server, offered);
        Assert.Equal(chosen, client.SubProtocol);
    }

    [Fact]
    public async Task AForeignOriginIsRefused403LikeWs()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol("v12.stomp");
        socket.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_server.Port}/stomp"), CancellationToken.None).WaitAsync(ChatServer.Timeout));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);

        await using var allowed = await RawStompClient.OpenAsync(_server, origin: "https://friend.example");
        Assert.Equal(WebSocketState.Open, allowed.State);
    }

    [Theory]
    [InlineData("CONNECT")]
    [InlineData("STOMP")]
    public async Task ConnectOrStompWithTheTokenGetsConnectedWithVersionHeartBeatServerAndUserName(string command)
    {
        var token = await _server.SignInAsync($"cs{command}");
        var (client, connected) = await RawStompClient.ConnectAsync(_server, $"cs{command}", token, command: command, heartBeat: "0,0");
        await using var _ = client;
        Assert.Equal("1.2", connected["version"]);
        Assert.Equal("10000,10000", connected["heart-beat"]);
        Assert.StartsWith("ChatApp/", connected["server"]);
        Assert.Equal($"cs{command}", connected["user-name"]);
    }

    [Fact]
    public async Task ThePasswordOfTheNameIsAPasscodeToo()
    {
        await _server.SignInAsync("pia", password: "pass:word\\x");
        // CONNECT headers are never unescaped, so the colon and backslash are the password's own.
        var (client, connected) = await RawStompClient.ConnectAsync(_server, "pia", "pass:word\\x");
        await using var _ = client;
        Assert.Equal("pia", connected["user-name"]);
    }

    [Fact]
    public async Task AMissingAcceptVersionMeans10AndHostIsNotRequired()
    {
        var token = await _server.SignInAsync("olde");
        await using var client = await RawStompClient.OpenAsync(_server);
        await client.SendAsync($"CONNECT\nlogin:olde\npasscode:{token}\n\n\0");
        var connected = await client.ReceiveAsync();
        Assert.Equal("CONNECTED", connected.Command);
        Assert.Equal("1.0", connected["version"]);
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task ABadPasscodeGetsAnErrorFrameThenTheClose(string passcode)
    {
        await _server.SignInAsync($"bp{passcode.Length}");
        await using var client = await RawStompClient.OpenAsync(_server);
        await client.SendAsync($"CONNECT\naccept-version:1.2\nlogin:bp{passcode.Length}\npasscode:{passcode}\n\n\0");
        var error = await client.ReceiveAsync();
        Assert.Equal("ERROR", error.Command);
        Assert.Equal("unauthorized", error["message"]);
        Assert.Equal("(close)", (await client.ReceiveAsync()).Command);
    }

    [Fact]
    public async Task AnotherUsersTokenWithMyLoginIsRefused()
    {
        await _server.SignInAsync("mine");
        var theirs = await _server.SignInAsync("theirs");
        await using var client = await RawStompClient.OpenAsync(_server);
        await client.SendAsync($"CONNECT\naccept-version:1.2\nlogin:mine\npasscode:{theirs}\n\n\0");
        Assert.Equal("ERROR", (await client.ReceiveAsync()).Command);
        Assert.Equal("(close)", (await client.ReceiveAsync()).Command);
    }

    [Fact]
    public async Task AFrameBeforeConnectGetsAnErrorFrameThenTheClose()
    {
        await using var client = await RawStompClient.OpenAsync(_server);
        await client.SendAsync("SEND\ndestination:/topic/chat\n\nhi\0");
        var error = await client.ReceiveAsync();
        Assert.Equal("ERROR", error.Command);
        Assert.Equal("(close)", (await client.ReceiveAsync()).Command);
    }

    [Fact]
    public async Task AnUnsupportedVersionGetsAnErrorListingTheSupportedOnes()
    {
        var token = await _server.SignInAsync("future");
        await using var client = await RawStompClient.OpenAsync(_server);
        await client.SendAsync($"CONNECT\naccept-version:2.0\nlogin:future\npasscode:{token}\n\n\0");
        var error = await client.ReceiveAsync();
        Assert.Equal("ERROR", error.Command);
        Assert.Equal("1.2,1.1,1.0", error["version"]);
    }
}
