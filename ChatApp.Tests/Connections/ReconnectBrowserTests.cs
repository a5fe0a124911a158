using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Connections;

[Collection(BrowserCollection.Name)]
public sealed class ReconnectBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnOpenPageReconnectsAfterARestartAndShowsLaterMessagesExactlyOnce()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        var bobToken = await server.SignInAsync("bob");
        await using (var bob = await server.ConnectAsync(bobToken))
        {
            await bob.SendJsonAsync(new { type = "message", text = "before the restart" });
            await ann.ExpectOneAsync("before the restart");
        }

        await server.StopAsync();
        await Expect(ann.ConnectionStatus).ToContainTextAsync("Connection lost");
        await server.StartAgainAsync();
        await ann.WaitConnectedAsync();
        await Expect(ann.ConnectionStatus).ToBeEmptyAsync();

        await using var bobAgain = await server.ConnectAsync(bobToken);
        await bobAgain.SendJsonAsync(new { type = "message", text = "after the restart" });
        await ann.ExpectOneAsync("after the restart");
        await ann.ExpectOneAsync("before the restart");
        await AssertNoEntryTwiceAsync(ann);
    }

    [Fact]
    public async Task AMessageSentWhileTheServerIsDownIsKeptAndArrivesOnceWhenItIsBack()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await server.StopAsync();
        await Expect(ann.ConnectionStatus).ToContainTextAsync("Connection lost");
        await ann.SendAsync("typed while offline");
        var pending = ann.Log.Locator("[data-pending=true]", new() { HasText = "typed while offline" });
        await Expect(pending).ToBeVisibleAsync();

        await server.StartAgainAsync();
        await ann.ExpectOneAsync("typed while offline");
        await Expect(pending).ToHaveCountAsync(0);

        // Stored exactly once: a fresh client's replay holds it once.
        await using var bob = await server.JoinAsync("bob");
        var copies = bob.Replay.Count(e => e.GetProperty("type").GetString() == "message"
                                           && e.GetProperty("text").GetString() == "typed while offline");
        Assert.Equal(1, copies);
        await AssertNoEntryTwiceAsync(ann);
    }

    [Fact]
    public async Task APageSignedOutElsewhereShowsTheJoinFormInsteadOfRetryingForever()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        // As the page's own script signs out: with this site's Origin (a cookie-signed API change needs it).
        var signOut = await ann.Page.Context.APIRequest.DeleteAsync("/api/session",
            new() { Headers = new Dictionary<string, string> { ["Origin"] = server.Origin } });
        Assert.Equal(204, signOut.Status);
        await server.RestartAsync();

        await Expect(ann.NameField).ToBeVisibleAsync();
    }

    private static async Task AssertNoEntryTwiceAsync(ChatPage page)
    {
        var ids = await page.Log.Locator("[data-id]").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.id)");
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }
}
