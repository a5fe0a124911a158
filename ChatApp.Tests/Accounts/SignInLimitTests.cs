using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Accounts;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Accounts;

/// <summary>PROTOCOL.md §1: name claims and sign-ins are limited per address, wrong passwords back off per name.</summary>
public sealed class SignInLimitTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body, string? RetryAfter)> ClaimAsync(ChatServer server, string name, string? password = null)
    {
        using var client = server.Client();
        using var response = await client.PostAsJsonAsync("/api/session", new { name, password });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body, response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task ClaimsFromOneAddressBeyondTheLimitAreRefused429WithRetryAfter()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:SignInLimit:Requests"] = "3",
            ["Chat:SignInLimit:PerSeconds"] = "3600",
        });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(server, $"user{i}")).Status);

        var (status, body, retryAfter) = await ClaimAsync(server, "onetoomany");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("rate_limited", body.Text("error"));
        Assert.True(int.TryParse(retryAfter, out var seconds) && seconds > 0, $"Retry-After: {retryAfter}");
        // Nothing was claimed: the name is still free (the owner of an address's limit can't be told apart otherwise).
        Assert.Null(await server.Service<AccountStore>().FindAsync("onetoomany"));
    }

    [Fact]
    public async Task TheJoinFormCountsAgainstTheSameLimit()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:SignInLimit:Requests"] = "2",
            ["Chat:SignInLimit:PerSeconds"] = "3600",
        });
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(server, "first")).Status);
        using (var client = server.Client())
        using (var form = await client.PostAsync("/?handler=Join", new FormUrlEncodedContent([new("Name", "second")])))
            Assert.NotEqual(HttpStatusCode.TooManyRequests, form.StatusCode); // refused for its missing antiforgery token, but counted

        using var third = await server.Client().PostAsync("/?handler=Join", new FormUrlEncodedContent([new("Name", "third")]));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ClaimAsync(server, "fourth")).Status);
    }

    [Fact]
    public async Task AStompConnectWithAPasswordCountsAgainstTheSameLimitAndOneWithATokenDoesNot()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:SignInLimit:Requests"] = "2",
            ["Chat:SignInLimit:PerSeconds"] = "3600",
        });
        var token = await server.SignInAsync("stomper", password: "secret"); // the first of two
        var (first, connected) = await RawStompClient.ConnectAsync(server, "stomper", "secret"); // the second
        await using (first) Assert.Equal("stomper", connected["user-name"]);

        await using (var over = await RawStompClient.OpenAsync(server))
        {
            await over.SendAsync("CONNECT\naccept-version:1.2\nlogin:stomper\npasscode:secret\n\n\0");
            var error = await over.ReceiveAsync();
            Assert.Equal("ERROR", error.Command);
            Assert.Equal("rate_limited", error["message"]);
            Assert.Equal("(close)", (await over.ReceiveAsync()).Command);
        }
        // The session's token is no sign-in: it still connects, as often as it likes.
        for (var i = 0; i < 3; i++)
        {
            var (byToken, ok) = await RawStompClient.ConnectAsync(server, "stomper", token);
            await using (byToken) Assert.Equal("stomper", ok["user-name"]);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ClaimAsync(server, "later")).Status);
    }

    [Fact]
    public async Task WrongPasswordsForOneNameBackOffDoublingAndARightOneResetsIt()
    {
        var clock = new FakeTimeProvider();
        await using var server = await ChatServer.StartAsync(clock: clock);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(server, "bob", "right")).Status);

        // The first wrong guesses are answered as usual (the last free one already costs a second's wait).
        for (var i = 0; i <= PasswordBackoff.FreeFailures; i++)
            Assert.Equal(HttpStatusCode.Conflict, (await ClaimAsync(server, "bob", $"guess{i}")).Status);

        var early = await ClaimAsync(server, "bob", "right"); // even the right password waits its turn
        Assert.Equal(HttpStatusCode.TooManyRequests, early.Status);
        Assert.Equal("rate_limited", early.Body.Text("error"));
        Assert.Equal("1", early.RetryAfter);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Conflict, (await ClaimAsync(server, "bob", "wrong again")).Status);
        Assert.Equal("2", (await ClaimAsync(server, "bob", "too soon")).RetryAfter);

        // Other names are not slowed by bob's.
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(server, "carol", "pw")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(server, "carol", "pw")).Status);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(server, "bob", "right")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await ClaimAsync(server, "bob", "fresh start")).Status);
    }

    [Fact]
    public async Task SignInForOtherTransportsTakesATokenOrThePasswordAndSharesTheBackOff()
    {
        var clock = new FakeTimeProvider();
        await using var server = await ChatServer.StartAsync(clock: clock);
        var token = await server.SignInAsync("stella", "pass");
        var accounts = server.Service<AccountStore>();

        Assert.Equal("stella", (await accounts.SignInAsync("STELLA", token)).User?.Name);
        Assert.Equal("stella", (await accounts.SignInAsync("stella", "pass")).User?.Name);
        Assert.Null((await accounts.SignInAsync("nobody", "pass")).User);
        for (var i = 0; i <= PasswordBackoff.FreeFailures; i++) Assert.Null((await accounts.SignInAsync("stella", "nope")).User);

        var (backingOff, retryAfter) = await accounts.SignInAsync("stella", "pass");
        Assert.Null(backingOff);
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ClaimAsync(server, "stella", "pass")).Status);
    }
}
