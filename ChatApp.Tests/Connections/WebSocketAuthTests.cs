using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Connections;

public sealed class WebSocketAuthTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ChatServer.StartAsync(new() { ["Chat:AllowedOrigins:0"] = "https://friend.example" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri WsUri(string query = "") => new($"ws://127.0.0.1:{_server.Port}/ws{query}");

    private static async Task<HttpStatusCode?> RefusalAsync(Func<ClientWebSocket, Task> connect)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try { await connect(socket); return null; }
        catch (WebSocketException) { return socket.HttpStatusCode; }
    }

    [Fact]
    public async Task AnonymousUpgradeIsRefused401()
    {
        var status = await RefusalAsync(s => s.ConnectAsync(WsUri(), CancellationToken.None).WaitAsync(ChatServer.Timeout));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        var bad = await RefusalAsync(s => s.ConnectAsync(WsUri("?access_token=nonsense"), CancellationToken.None).WaitAsync(ChatServer.Timeout));
        Assert.Equal(HttpStatusCode.Unauthorized, bad);
    }

    [Fact]
    public async Task BearerHeaderAccessTokenAndCookieAllSignIn()
    {
        var token = await _server.SignInAsync("tina");
        await using (var byQuery = await _server.ConnectAsync(token))
            Assert.Equal("tina", byQuery.Welcome.GetProperty("user").GetString());

        using (var byHeader = new ClientWebSocket())
        {
            byHeader.Options.SetRequestHeader("Authorization", $"Bearer {token}");
            await byHeader.ConnectAsync(WsUri(), CancellationToken.None).WaitAsync(ChatServer.Timeout);
            Assert.Equal(WebSocketState.Open, byHeader.State);
        }

        var (_, cookie) = await _server.SignInWithCookieAsync("uma");
        using var byCookie = new ClientWebSocket();
        byCookie.Options.SetRequestHeader("Cookie", cookie);
        await byCookie.ConnectAsync(WsUri(), CancellationToken.None).WaitAsync(ChatServer.Timeout);
        Assert.Equal(WebSocketState.Open, byCookie.State);
    }

    [Fact]
    public async Task AForeignOriginIsRefused403ButSameSiteAndAllowedOriginsAreNot()
    {
        var token = await _server.SignInAsync("otto");
        var query = $"?access_token={token}";
        var foreign = await RefusalAsync(s =>
        {
            s.Options.SetRequestHeader("Origin", "https://evil.example");
            return s.ConnectAsync(WsUri(query), CancellationToken.None).WaitAsync(ChatServer.Timeout);
        });
        Assert.Equal(HttpStatusCode.Forbidden, foreign);

        await using var same = await TestSocket.ConnectAsync(WsUri(query), origin: $"http://127.0.0.1:{_server.Port}");
        Assert.Equal(WebSocketState.Open, same.State);
        await using var allowed = await TestSocket.ConnectAsync(WsUri(query), origin: "https://friend.example");
        Assert.Equal(WebSocketState.Open, allowed.State);
    }
}
