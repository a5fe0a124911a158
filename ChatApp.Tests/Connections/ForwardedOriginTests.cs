using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Connections;

/// <summary>PROTOCOL.md §2: behind a trusted TLS-terminating proxy, this site is the scheme and host it forwards.</summary>
public sealed class ForwardedOriginTests
{
    private const string PublicSite = "https://chat.example";

    private static async Task<HttpStatusCode?> ConnectAsync(ChatServer server, string token, string path = "/ws")
    {
        using var socket = new ClientWebSocket();
        if (path == "/stomp") socket.Options.AddSubProtocol("v12.stomp");
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", PublicSite);
        socket.Options.SetRequestHeader("X-Forwarded-Proto", "https");
        socket.Options.SetRequestHeader("X-Forwarded-Host", "chat.example");
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        try
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}{path}"), CancellationToken.None).WaitAsync(ChatServer.Timeout);
            return socket.HttpStatusCode;
        }
        catch (WebSocketException) { return socket.HttpStatusCode; }
    }

    [Theory]
    [InlineData("/ws")]
    [InlineData("/stomp")]
    public async Task AnHttpsPageBehindATrustedProxyOpensTheSocket(string path)
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:TrustedProxies:0"] = "127.0.0.1" });
        var token = await server.SignInAsync("proxied");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await ConnectAsync(server, token, path));
    }

    [Theory]
    [InlineData("/ws")]
    [InlineData("/stomp")]
    public async Task TheSameHeadersFromAnUntrustedPeerAreIgnoredAndTheOriginRefused(string path)
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:TrustedProxies:0"] = "10.9.8.7" });
        var token = await server.SignInAsync("spoofer");
        Assert.Equal(HttpStatusCode.Forbidden, await ConnectAsync(server, token, path));
    }

    [Fact]
    public async Task ACookiePostFromTheHttpsPageBehindATrustedProxyIsSameSite()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:TrustedProxies:0"] = "127.0.0.1" });
        var (_, cookie) = await server.SignInWithCookieAsync("viaproxy");
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = JsonContent.Create(new { text = "through the proxy" }) };
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", PublicSite);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "chat.example");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
