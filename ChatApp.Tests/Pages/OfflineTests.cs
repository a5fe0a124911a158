using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Issue 13, item 10: offline, the Online list is marked stale, the retry countdown counts, and the page says when it is back.</summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class OfflineTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task WhileOfflineTheListIsStaleAndTheCountdownCountsThenThePageSaysItIsBack(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        var connection = await ann.RouteSocketAsync();
        await ann.JoinAsync("ann");
        var panel = ann.Page.Locator(".online-panel");
        await Expect(panel).Not.ToHaveAttributeAsync("data-stale", "");

        await connection.CutAsync();
        await Expect(panel).ToHaveAttributeAsync("data-stale", "");
        // Retries back off to 5 s, so the countdown soon shows several seconds and counts down.
        var status = ann.ConnectionStatus;
        await Expect(status).ToHaveTextAsync(new Regex(@"retrying in [3-9] s"));
        var first = Regex.Match(await status.TextContentAsync() ?? "", @"retrying in (\d+) s").Groups[1].Value;
        await Expect(status).ToHaveTextAsync(new Regex($@"retrying in (?!{first} s)\d+ s"));
        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);

        connection.Restore();
        await Expect(status).ToHaveTextAsync("Connected again.", new() { Timeout = BrowserFixture.TimeoutMs });
        await Expect(panel).Not.ToHaveAttributeAsync("data-stale", "");
    }
}
