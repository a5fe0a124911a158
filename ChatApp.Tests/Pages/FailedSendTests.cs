using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Issue 13, item 5: refused sends stay visible as failed, with the reason and a retry.</summary>
[Collection(WritingBrowserCollection.Name)]
public sealed class FailedSendTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task EveryMessageTheRateLimitRefusesStaysVisibleAsFailedWithTheReasonAndARetry(string screen)
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:RateLimit:Messages"] = "3",
            ["Chat:RateLimit:PerSeconds"] = "3600",
        });
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");

        for (var i = 1; i <= 30; i++) await ann.SendAsync($"quick {i:00}");

        var failed = ann.Log.Locator(".entry.failed");
        await Expect(failed).ToHaveCountAsync(27);
        await Expect(ann.Log.Locator("[data-id][data-kind=message]")).ToHaveCountAsync(3);
        await Expect(ann.Log.Locator(".entry.pending")).ToHaveCountAsync(0);
        var texts = (await failed.Locator(".body").AllTextContentsAsync()).Select(t => t.Trim());
        Assert.Equal(Enumerable.Range(4, 27).Select(i => $"quick {i:00}"), texts.Order());
        foreach (var entry in await failed.AllAsync())
        {
            await Expect(entry.Locator(".reason")).ToContainTextAsync(new Regex("^Not sent: .+"));
            await Expect(entry.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToHaveCountAsync(1);
        }
        // The newest refusal and the error line are on screen, not below the fold.
        Assert.True(await ann.IsInsideViewportAsync(failed.Last), "the last refused message is off-screen");
        await Expect(ann.Page.Locator("#composer-error")).ToContainTextAsync("Not sent");
        Assert.True(await ann.IsInsideViewportAsync(ann.Page.Locator("#composer-error")), "the error is off-screen");
        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);

        // Retry sends it again (still refused here: it stays failed, once); Edit puts it back in the box.
        var last = failed.Filter(new() { HasText = "quick 30" });
        await last.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(ann.Log.Locator(".entry.failed", new() { HasText = "quick 30" })).ToHaveCountAsync(1);
        await Expect(failed).ToHaveCountAsync(27);
        await failed.Filter(new() { HasText = "quick 29" }).GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(ann.MessageBox).ToHaveValueAsync("quick 29");
        await Expect(failed).ToHaveCountAsync(26);
    }

    [Fact]
    public async Task AnErrorClearsWhenTheNextSendSucceeds()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await ann.SendAsync("/msg nobody-here hello?");
        await Expect(ann.Page.Locator("#composer-error")).ToContainTextAsync("Not sent");
        await Expect(ann.Log.Locator(".entry.failed")).ToHaveCountAsync(1);

        await ann.MessageBox.FillAsync("");
        await ann.SendAsync("this one goes through");
        await ann.ExpectOneAsync("this one goes through");
        await Expect(ann.Page.Locator("#composer-error")).ToBeEmptyAsync();
        await Expect(ann.Log.Locator(".entry.failed")).ToHaveCountAsync(1); // the refused one is still there to retry
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task PastedTextOverTheLimitIsRefusedWithAReasonAndNotCut(string screen)
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:MaxMessageLength"] = "50" });
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        var pasted = new string('p', 60);

        await ann.MessageBox.FocusAsync();
        await ann.Page.Keyboard.InsertTextAsync(pasted);
        await Expect(ann.MessageBox).ToHaveValueAsync(pasted);
        var error = ann.Page.Locator("#composer-error");
        await Expect(error).ToContainTextAsync("60 characters");
        await Expect(error).ToContainTextAsync("50");
        await ann.MessageBox.PressAsync("Enter");
        await Expect(ann.MessageBox).ToHaveValueAsync(pasted);
        Assert.True(await ann.IsInsideViewportAsync(error), "the reason is off-screen");

        // Shortened, it goes; nothing was sent before it.
        await ann.MessageBox.FillAsync("short enough");
        await Expect(error).ToBeEmptyAsync();
        await ann.MessageBox.PressAsync("Enter");
        await ann.ExpectOneAsync("short enough");
        await Expect(ann.Log.Locator(".entry.talk")).ToHaveCountAsync(1);
    }
}
