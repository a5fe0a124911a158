using System.Net;
using System.Net.Http.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Profiles;

public sealed class ProfileNoticeWhileAwayTests
{
    [Fact]
    public async Task AProfileVisitWhileTheOwnerIsAwayIsInTheirDefaultReplayAndOnTheirFirstPageButNobodyElses()
    {
        await using var server = await ChatServer.StartAsync();
        var (jimToken, cookie) = await server.SignInWithCookieAsync("jim");

        using (var visitor = server.Client())
            Assert.Equal(HttpStatusCode.OK, (await visitor.GetAsync("/profile/jim")).StatusCode);

        // A plain reconnect (no since) replays talk and the notices addressed to this user, not join/part noise.
        await using var jim = await server.ConnectAsync(jimToken);
        var notice = Assert.Single(jim.Replay, e => TestSocket.Type(e) == "system");
        Assert.Equal("profile", notice.GetProperty("event").GetString());
        Assert.Equal("jim, someone from 127.0.0.1 checked out your profile", notice.GetProperty("text").GetString());
        Assert.True(notice.GetProperty("replay").GetBoolean());

        // The page's first paint (server-rendered history) shows it too.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/");
        page.Headers.Add("Cookie", cookie);
        var html = await (await server.Client().SendAsync(page)).Content.ReadAsStringAsync();
        Assert.Contains("someone from 127.0.0.1 checked out your profile", html);

        await using var ann = await server.JoinAsync("ann");
        Assert.DoesNotContain(ann.Replay, e => TestSocket.Type(e) == "system");
    }
}
