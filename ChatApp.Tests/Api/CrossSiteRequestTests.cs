using System.Net;
using System.Text;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

/// <summary>PROTOCOL.md §1: API changes signed in by the cookie alone need this site's Origin and a JSON body.</summary>
public sealed class CrossSiteRequestTests : IAsyncLifetime
{
    private ChatServer _server = null!;
    private string _cookie = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatServer.StartAsync();
        (_token, _cookie) = await _server.SignInWithCookieAsync("victim");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> SendAsync(
        HttpMethod method, string url, string? body, string? contentType, string? origin = null, string? fetchSite = null, bool bearer = false)
    {
        using var client = _server.Client(bearer ? _token : null);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Cookie", _cookie);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (fetchSite is not null) request.Headers.Add("Sec-Fetch-Site", fetchSite);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType ?? "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? System.Text.Json.JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json")]
    public async Task AForeignPagesPostWithTheCookieIsRefused403AndNothingIsStored(string contentType)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/messages", """{"text":"forged"}""", contentType, origin: "http://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden_origin", body.Text("error"));
        using var reader = _server.Client(_token);
        Assert.DoesNotContain(await reader.MessagesAsync(), e => e.Text("text") == "forged");
    }

    [Fact]
    public async Task ACookiePostWithoutOriginOrFetchMetadataIsRefused()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/messages", """{"text":"no origin"}""", "application/json");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden_origin", body.Text("error"));
    }

    [Fact]
    public async Task ASameOriginCookiePostThatIsNotJsonIsRefused415()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/messages", "text=plain", "application/x-www-form-urlencoded", origin: _server.Origin);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("unsupported_media_type", body.Text("error"));
    }

    [Fact]
    public async Task TheSitesOwnPagesPostWithOriginOrSecFetchSite()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/messages", """{"text":"by origin"}""", null, origin: _server.Origin)).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/messages", """{"text":"by fetch metadata"}""", null, fetchSite: "same-origin")).Status);
    }

    [Fact]
    public async Task ABearerTokenNeedsNeitherOriginNorJson()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/messages", """{"text":"tool"}""", "text/plain", origin: "http://elsewhere.example", bearer: true);
        // Past the guard: the endpoint itself reads the body as JSON whatever its label.
        Assert.Equal(HttpStatusCode.Created, status);
    }

    [Fact]
    public async Task SignOutAndPasswordChangeFromAForeignPageAreRefusedToo()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Delete, "/api/session", null, null, origin: "http://evil.example")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/account/password", """{"password":"pwned"}""", "text/plain", origin: "http://evil.example")).Status);
        // The cookie still works: the forged sign-out changed nothing.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/messages", """{"text":"still here"}""", null, origin: _server.Origin)).Status);
    }
}
