using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Accounts;

public sealed class SessionTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<HttpResponseMessage> ClaimAsync(object body, string? cookie = null, string? token = null)
    {
        using var client = _server.Client(token);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/session") { Content = JsonContent.Create(body) };
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add("Origin", _server.Origin); // as the page's own script would
        }
        return await client.SendAsync(request);
    }

    private static string CookieFrom(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").First().Split(';')[0];

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("system")]
    [InlineData("SYSTEM")]
    [InlineData("slash/name")]
    [InlineData("<script>")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33 characters
    public async Task BadNamesAreRefusedWithBadName(string name)
    {
        var response = await ClaimAsync(new { name });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_name", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("jim")]
    [InlineData("Zoë")]
    [InlineData("李小龙")]
    [InlineData("a.b-c_1")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")] // 32 characters
    public async Task UnicodeLettersDigitsAndPunctuationMakeGoodNames(string name)
    {
        var response = await ClaimAsync(new { name });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(name, body.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("token").GetString()));
    }

    [Fact]
    public async Task ClaimingSetsAnHttpOnlyStrictSessionCookie()
    {
        var response = await ClaimAsync(new { name = "cookie" });
        var setCookie = response.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant();
        Assert.Contains("httponly", setCookie);
        Assert.Contains("samesite=strict", setCookie);
    }

    [Fact]
    public async Task OfManyClaimsOfOneNameAtOnceExactlyOneWinsAndItsTokenWorksAfterARestart()
    {
        // Claims write to disk outside the claim lock: the name must still go to one client, and that one's token be stored.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ClaimAsync(new { name = i % 2 == 0 ? "Crowd" : "cROWD" })))
            .WaitAsync(TimeSpan.FromSeconds(60));
        var winners = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var token = (await winners[0].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        await _server.RestartAsync();
        await using var socket = await _server.ConnectAsync(token);
        Assert.Equal("crowd", socket.Welcome.GetProperty("user").GetString()!.ToLowerInvariant());
    }

    [Fact]
    public async Task AClaimedNameIsRefusedToAnotherClientCaseInsensitively()
    {
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(new { name = "Jim" })).StatusCode);
        var again = await ClaimAsync(new { name = "jIM" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("name_taken", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheOwnerMayClaimAgainWithCookieOrTokenAndIsShownAsFirstClaimed()
    {
        var first = await ClaimAsync(new { name = "Ann" });
        var token = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        var byCookie = await ClaimAsync(new { name = "ann" }, cookie: CookieFrom(first));
        Assert.Equal(HttpStatusCode.OK, byCookie.StatusCode);
        Assert.Equal("Ann", (await byCookie.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(new { name = "ANN" }, token: token)).StatusCode);
    }

    [Fact]
    public async Task APasswordGivenWithTheFirstClaimLetsASecondDeviceSignIn()
    {
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(new { name = "bob", password = "s3cret!" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ClaimAsync(new { name = "bob", password = "wrong" })).StatusCode);
        var second = await ClaimAsync(new { name = "bob", password = "s3cret!" });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var token = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using var socket = await _server.ConnectAsync(token);
        Assert.Equal("bob", socket.Welcome.GetProperty("user").GetString());
    }

    [Fact]
    public async Task ASignedInOwnerCanSetAPasswordForAnotherDevice()
    {
        var token = await _server.SignInAsync("carol");
        using var client = _server.Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/account/password", new { password = "pw-for-phone" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(new { name = "carol", password = "pw-for-phone" })).StatusCode);
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/account/password", new { password = "x" })).StatusCode);
    }

    [Fact]
    public async Task SigningOutStopsTheTokenAndTheCookieButKeepsTheName()
    {
        var first = await ClaimAsync(new { name = "dave" });
        var token = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var cookie = CookieFrom(first);
        using (var client = _server.Client(token))
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/session")).StatusCode);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => _server.ConnectAsync(token));
        Assert.Contains("'401'", refused.Message); // the upgrade is refused as unauthorized
        Assert.Equal(HttpStatusCode.Conflict, (await ClaimAsync(new { name = "dave" }, cookie: cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await ClaimAsync(new { name = "dave" })).StatusCode);
    }

    [Fact]
    public async Task MalformedJsonIsABadRequest()
    {
        using var client = _server.Client();
        var response = await client.PostAsync("/api/session", new StringContent("{nope", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
