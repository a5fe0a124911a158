using System.Net;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Profiles;

public sealed class ProfilePageTests
{
    [Fact]
    public async Task AVisitShowsTheProfileAndTellsEveryConnectionOfTheOwnerWhoLooked()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.JoinAsync("bob");
        await using var jim1 = await server.JoinAsync("jim");
        await using var jim2 = await server.ConnectAsync(jim1.Token!);
        using var visitor = server.Client(); // no sign-in needed

        using var response = await visitor.GetAsync("/profile/jim");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>jim</h1>", html);
        Assert.Contains("Online now", html);
        foreach (var jim in new[] { jim1, jim2 })
        {
            var notice = await jim.NextAsync(f => f.IsProfileNotice());
            Assert.Equal("jim", notice.Text("user"));
            Assert.Equal("jim", notice.Text("to"));
            Assert.Equal("127.0.0.1", notice.Text("ip"));
            Assert.Equal("jim, someone from 127.0.0.1 checked out your profile", notice.Text("text"));
        }
        await AssertNoProfileNoticeAsync(bob, jim1);
    }

    [Fact]
    public async Task AnUnknownUsersProfileIs404AndNotifiesNobody()
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("jim");
        using var visitor = server.Client();

        using var response = await visitor.GetAsync("/profile/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No such user", await response.Content.ReadAsStringAsync());
        await AssertNoProfileNoticeAsync(jim, jim);
    }

    [Fact]
    public async Task RepeatVisitsFromOneAddressWithinTenSecondsMakeOneNotice()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(clock: clock);
        await using var jim = await server.JoinAsync("jim");
        using var visitor = server.Client();

        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/profile/jim")).StatusCode);
        await jim.NextAsync(f => f.IsProfileNotice());
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/profile/JIM")).StatusCode);
        await AssertNoProfileNoticeAsync(jim, jim);

        clock.Advance(TimeSpan.FromSeconds(0.1)); // ten seconds after the first notice: the next visit is news again
        Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/profile/jim")).StatusCode);
        await jim.NextAsync(f => f.IsProfileNotice());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.1.2.3")]
    public async Task XForwardedForIsIgnoredFromAnUntrustedPeer(string? trustedProxy)
    {
        await using var server = await ChatServer.StartAsync(trustedProxy is null ? null : new() { ["Chat:TrustedProxies:0"] = trustedProxy });
        await using var jim = await server.JoinAsync("jim");

        await VisitAsync(server, "jim", forwardedFor: "203.0.113.9");

        var notice = await jim.NextAsync(f => f.IsProfileNotice());
        Assert.Equal("127.0.0.1", notice.Text("ip"));
        Assert.Equal("jim, someone from 127.0.0.1 checked out your profile", notice.Text("text"));
    }

    [Theory]
    [InlineData("Chat:TrustedProxies:0", "127.0.0.1")]
    [InlineData("Chat:TrustedNetworks:0", "127.0.0.0/8")]
    public async Task XForwardedForIsBelievedFromATrustedProxy(string setting, string value)
    {
        await using var server = await ChatServer.StartAsync(new() { [setting] = value });
        await using var jim = await server.JoinAsync("jim");

        await VisitAsync(server, "jim", forwardedFor: "203.0.113.9");

        var notice = await jim.NextAsync(f => f.IsProfileNotice());
        Assert.Equal("203.0.113.9", notice.Text("ip"));
        Assert.Equal("jim, someone from 203.0.113.9 checked out your profile", notice.Text("text"));
    }

    [Fact]
    public async Task AMistypedTrustedProxyStopsTheServerAtStartWithTheSettingsName()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChatServer.StartAsync(new() { ["Chat:TrustedProxies:0"] = "not-an-address" }));
        Assert.Contains("Chat:TrustedProxies", error.Message);
    }

    [Fact]
    public async Task TheNoticeWaitsForAnOwnerWhoIsAway()
    {
        await using var server = await ChatServer.StartAsync();
        var jimToken = await server.SignInAsync("jim");
        using var jim = server.Client(jimToken);
        var before = server.Service<ChatApp.Chat.ChatRoom>().LastId;

        await VisitAsync(server, "jim");

        await using var back = await server.ConnectAsync(jimToken, since: before);
        var notice = Assert.Single(back.Replay, f => f.IsProfileNotice());
        Assert.Equal("jim, someone from 127.0.0.1 checked out your profile", notice.Text("text"));
        Assert.True(notice.GetProperty("replay").GetBoolean());
        Assert.Single(await jim.MessagesAsync($"?since={before}"), f => f.IsProfileNotice());
    }

    [Fact]
    public async Task OnlyTheOwnerEverSeesTheirProfileNotices()
    {
        await using var server = await ChatServer.StartAsync();
        await server.SignInAsync("jim");
        using var bob = server.Client(await server.SignInAsync("bob"));

        await VisitAsync(server, "jim");

        Assert.DoesNotContain(await bob.MessagesAsync("?since=0"), f => f.IsProfileNotice());
    }

    [Fact]
    public async Task ANameInAnyCaseFindsTheProfileUnderItsClaimedName()
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("JimBo");

        var html = await VisitAsync(server, "jIMbO");

        Assert.Contains("<h1>JimBo</h1>", html);
        var notice = await jim.NextAsync(f => f.IsProfileNotice());
        Assert.Equal("JimBo, someone from 127.0.0.1 checked out your profile", notice.Text("text"));
    }

    [Fact]
    public async Task TheProfileCountsPublicMessagesAndShowsWhenTheUserWasLastHere()
    {
        await using var server = await ChatServer.StartAsync();
        var jim = await server.JoinAsync("jim");
        await server.SignInAsync("ann");
        await jim.SendJsonAsync(new { type = "message", text = "one" });
        await jim.SendJsonAsync(new { type = "message", text = "two" });
        await jim.SendJsonAsync(new { type = "message", text = "private", to = "ann" });
        await jim.ExpectMessageAsync("private");
        await jim.DisposeAsync();

        // Events reach the database in the background; the count follows shortly after.
        var html = "";
        await Eventually.ThatAsync(async () => (html = await VisitAsync(server, "jim")).Contains("data-public-messages=\"2\""), "the count reaches 2");
        Assert.Contains("Offline", html);
        Assert.Contains("Last seen", html);
        Assert.Contains("Joined", html);
        Assert.Matches("<time datetime=\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\">", html);
    }

    [Fact]
    public async Task LastSeenIsWhenTheUsersConnectionClosedNotWhenItOpened()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(clock: clock);
        using var bob = server.Client(await server.SignInAsync("bob"));
        var jim = await server.JoinAsync("jim");
        clock.Advance(TimeSpan.FromHours(1));
        var closing = clock.GetUtcNow().UtcDateTime;
        await jim.DisposeAsync();
        await Eventually.ThatAsync(async () => !(await bob.GetJsonAsync("/api/roster")).Body.GetProperty("users").EnumerateArray().Any(u => u.GetString() == "jim"),
            "jim leaves the roster");

        var html = await VisitAsync(server, "jim");

        var lastSeen = System.Text.RegularExpressions.Regex.Match(html, "Last seen</dt>\\s*<dd>\\s*<time datetime=\"([^\"]+)\"");
        Assert.True(lastSeen.Success, html);
        Assert.True(DateTime.Parse(lastSeen.Groups[1].Value, null, System.Globalization.DateTimeStyles.AdjustToUniversal) >= closing.AddSeconds(-1),
            $"last seen {lastSeen.Groups[1].Value} is before the connection closed at {closing:O}");
    }

    [Fact]
    public async Task TheNotFoundPageEscapesTheRequestedName()
    {
        await using var server = await ChatServer.StartAsync();
        using var visitor = server.Client();

        using var response = await visitor.GetAsync("/profile/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    private static async Task<string> VisitAsync(ChatServer server, string user, string? forwardedFor = null)
    {
        using var visitor = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/profile/{user}");
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await visitor.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts a public marker from <paramref name="speaker"/>: the room delivers in order, so a profile notice to <paramref name="listener"/> would arrive before it.</summary>
    private static async Task AssertNoProfileNoticeAsync(TestSocket listener, TestSocket speaker)
    {
        var marker = $"marker {Guid.NewGuid():N}";
        await speaker.SendJsonAsync(new { type = "message", text = marker });
        var next = await listener.NextAsync(f => f.IsProfileNotice() || (f.IsMessage() && f.Text("text") == marker));
        Assert.False(next.IsProfileNotice(), $"unexpected profile notice: {next}");
    }
}
