using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Pages;

public sealed class ChatPageHttpTests
{
    [Fact]
    public async Task TheJoinFormIsServedToAVisitorWithoutASession()
    {
        await using var server = await ChatServer.StartAsync();
        using var client = server.Client();
        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {html}");
        Assert.Contains("<label for=\"join-name\">Name</label>", html);
        Assert.Contains("__RequestVerificationToken", html);
    }

    [Fact]
    public async Task AFormPostWithoutTheAntiforgeryTokenIsRefusedAndClaimsNothing()
    {
        await using var server = await ChatServer.StartAsync();
        using var client = server.Client();

        var response = await client.PostAsync("/?handler=Join", new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "mallory" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("chat_session=")));
        Assert.Null(await server.Service<ChatApp.Accounts.AccountStore>().FindAsync("mallory"));
    }

    [Fact]
    public async Task TheSignedInPageRendersTheRecentHistoryAndWhereTheLiveClientGoesOn()
    {
        await using var server = await ChatServer.StartAsync();
        await server.SignInAsync("carl");
        await using var bob = await server.JoinAsync("bob");
        await bob.SendJsonAsync(new { type = "message", text = "visible to all" });
        var last = await bob.ExpectMessageAsync("visible to all");
        await bob.SendJsonAsync(new { type = "message", text = "for carl only", to = "carl" });
        await bob.ExpectMessageAsync("for carl only");
        var annToken = await server.SignInAsync("ann");
        using var client = server.Client(annToken);

        var html = await client.GetStringAsync("/");

        Assert.Contains("<p>visible to all</p>", html);
        Assert.DoesNotContain("for carl only", html);
        Assert.Contains($"data-since=\"{last.GetProperty("id").GetInt64()}\"", html);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", html);
    }
}
