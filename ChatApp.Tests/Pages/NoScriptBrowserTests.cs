using ChatApp.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>The page with JavaScript disabled: forms post, the page reloads itself.</summary>
[Collection(WritingBrowserCollection.Name)]
public sealed class NoScriptBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task WithoutJavaScriptAPersonJoinsAndPostsByFormAndSeesNewMessagesAfterARefresh()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.JoinAsync("bob");
        await bob.SendJsonAsync(new { type = "message", text = "history for **you**" });
        await bob.ExpectMessageAsync("history for **you**");

        await using var ann = await browser.NewPersonAsync(server, javaScript: false);
        await ann.JoinAsync("ann");
        await Expect(ann.Entries("history for you").Locator("strong")).ToHaveTextAsync("you");

        await ann.SendByFormAsync("posted by a form");
        var frame = await bob.ExpectMessageAsync("posted by a form");
        Assert.Equal("ann", frame.GetProperty("from").GetString());
        await ann.ExpectOneAsync("posted by a form");
        Assert.EndsWith("/", ann.Page.Url); // post-redirect-get: a reload does not post again

        // The page refreshes itself: no reload by the test.
        await bob.SendJsonAsync(new { type = "message", text = "from a live socket" });
        await ann.ExpectOneAsync("from a live socket");
        await ann.ExpectOneAsync("posted by a form");
    }

    [Fact]
    public async Task WithoutJavaScriptARefusedMessageIsExplainedAndKept()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, javaScript: false);
        await ann.JoinAsync("ann");

        await ann.SendByFormAsync("/msg nobody-here are you there");
        await Expect(ann.Page.Locator("#composer-error")).ToContainTextAsync("No user has that name");
        await Expect(ann.MessageBox).ToHaveValueAsync("/msg nobody-here are you there");
    }

    [Fact]
    public async Task AFormRenderedBeforeARestartStillPostsAfterIt()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, javaScript: false);
        await ann.JoinAsync("ann");

        // The antiforgery and session keys live in Chat:DataDir, so the page's token and cookie outlive the process.
        await server.RestartAsync();
        await using var bob = await server.JoinAsync("bob");
        await ann.SendByFormAsync("after the restart");

        await bob.ExpectMessageAsync("after the restart");
        await ann.ExpectOneAsync("after the restart");
    }
}
