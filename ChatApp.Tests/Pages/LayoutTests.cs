using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Issue 13, item 1: nothing a message holds widens the page (UI.md, Layout and history).</summary>
[Collection(WritingBrowserCollection.Name)]
public sealed class LayoutTests(BrowserFixture browser)
{
    private static readonly string LongCode = "```\n" + string.Concat(Enumerable.Repeat("x = f(y); ", 30)) + "\n```";
    private static readonly string LongUrl = "https://example.com/" + new string('a', 300);
    private static readonly string LongWord = new('w', 300);
    private static readonly string PhoneCode = "```\n" + new string('c', 46) + "\n```";

    [Theory]
    [InlineData("desktop", false)]
    [InlineData("desktop", true)]
    [InlineData("phone", false)]
    [InlineData("phone", true)]
    public async Task LongCodeUrlsAndWordsScrollOrWrapInsideTheirMessageAndSendStaysOnScreen(string screen, bool dark)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen), dark: dark);
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        foreach (var text in new[] { "short hello", LongCode, LongUrl, LongWord, PhoneCode, "**the end**" })
            await bob.SendJsonAsync(new { type = "message", text });
        await ann.SendAsync("mine, to see both sides");
        await ann.ExpectOneAsync("the end");
        await ann.ExpectOneAsync("mine, to see both sides");

        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);
        Assert.True(await ann.IsInsideViewportAsync(ann.SendButton), "Send is off-screen");
        Assert.True(await ann.IsInsideViewportAsync(ann.MessageBox), "the message box is off-screen");

        // The code block scrolls inside its message; the log itself never scrolls sideways.
        var code = ann.Log.Locator("pre").First;
        Assert.True(await code.EvaluateAsync<bool>("pre => pre.scrollWidth > pre.clientWidth"), "the long code line should scroll inside its block");
        Assert.True(await ann.Log.EvaluateAsync<bool>("log => log.scrollWidth <= log.clientWidth"), "the log scrolls sideways");
        foreach (var entry in await ann.Log.Locator(".entry").AllAsync())
        {
            var box = (await entry.BoundingBoxAsync())!;
            var log = (await ann.Log.BoundingBoxAsync())!;
            Assert.True(box.X >= log.X - 0.5 && box.X + box.Width <= log.X + log.Width + 0.5, $"an entry sticks out of the log: {await entry.TextContentAsync()}");
        }
        if (screen == "desktop")
        {
            // Beside the Online panel, never under it.
            var online = (await ann.Page.Locator(".online-panel").BoundingBoxAsync())!;
            var logBox = (await ann.Log.BoundingBoxAsync())!;
            Assert.True(logBox.X + logBox.Width <= online.X + 0.5, "the log slides under the Online panel");
        }
        await ann.ShootAsync($"{screen}-{(dark ? "dark" : "light")}");
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task ThePageDoesNotWidenWhileAPrivateMessageAndAnErrorAreShown(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync(new string('b', 32));

        await ann.OnlineUser(new string('b', 32)).GetByRole(AriaRole.Button).ClickAsync();
        await ann.SendAsync("/msg nobody-at-all " + LongWord);
        await Expect(ann.Page.Locator("#composer-error")).ToContainTextAsync("Not sent");

        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);
        Assert.True(await ann.IsInsideViewportAsync(ann.SendButton), "Send is off-screen");
    }
}
