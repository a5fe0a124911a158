using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Issue 13, item 2: scrolling up loads earlier history; a truncated resume shows a gap that fills the hole.</summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class ScrollbackTests(BrowserFixture browser)
{
    private static readonly Dictionary<string, string?> Unlimited = new()
    {
        ["Chat:RateLimit:Messages"] = "10000",
        ["Chat:RateLimit:PerSeconds"] = "1",
    };

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task ScrollingToTheTopLoadsEarlierMessagesKeepingTheReadersPlaceDownToTheFirst(string screen)
    {
        await using var server = await ChatServer.StartAsync(Unlimited);
        var bob = server.Client(await server.SignInAsync("bob"));
        for (var i = 1; i <= 130; i++) await bob.PostJsonAsync("/api/messages", new { text = $"history {i:000}" });
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await ann.ExpectOneAsync("history 130");
        await Expect(ann.Entries("history 080")).ToHaveCountAsync(0); // the first paint holds the last 50

        for (var page = 0; page < 5 && await ann.Entries("history 001").CountAsync() == 0; page++)
        {
            var anchor = ann.Log.Locator("[data-kind=message]").First;
            var anchorId = await anchor.GetAttributeAsync("data-id");
            // Where the anchor shows once the reader has scrolled to the top: its place in the content.
            var atTop = await TopInLogAsync(ann, anchorId!) + await ann.Log.EvaluateAsync<double>("log => log.scrollTop");
            var count = await ann.Log.Locator("[data-id]").CountAsync();
            await ann.Log.EvaluateAsync("log => log.scrollTop = 0");
            await Expect(ann.Log.Locator("[data-id]")).Not.ToHaveCountAsync(count);
            // What the reader looked at stays where it was, with the earlier messages above it: within a few pixels, as
            // a lost place would move it by whole entries (30 px and more). On the last page, in about half the runs
            // since 2026-11-30 14:25 UTC, the anchor ends 2.4-3.2 px higher, with the code of ea60d73 as well; the cause
            // is not found yet (not the line above the entries, which history.js could keep in place too).
            var moved = await TopInLogAsync(ann, anchorId!) - atTop;
            Assert.True(moved is >= -4 and <= 4, $"page {page}: the anchor {anchorId} moved {moved:F2} px");
            Assert.True(await ann.Log.EvaluateAsync<double>("log => log.scrollTop") > 0);
        }

        await ann.ExpectOneAsync("history 001");
        await Expect(ann.Log.GetByText("This is the beginning of the conversation.")).ToBeVisibleAsync();
        var texts = await ann.Log.Locator("[data-kind=message] .body").AllTextContentsAsync();
        var history = texts.Select(t => t.Trim()).Where(t => t.StartsWith("history ")).ToArray();
        Assert.Equal(Enumerable.Range(1, 130).Select(i => $"history {i:000}"), history);
        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);
    }

    [Fact]
    public async Task ATruncatedResumeShowsAGapWhoseButtonLoadsTheMissingMessagesOnce()
    {
        const int maxReplay = 5;
        await using var server = await ChatServer.StartAsync(new(Unlimited) { ["Chat:MaxReplay"] = maxReplay.ToString() });
        await using var ann = await browser.NewPersonAsync(server);
        // Marks a full-length replay as truncated, as the server does when more than Chat:MaxReplay events followed since.
        var connection = await ann.RouteSocketAsync(text =>
            text.Contains("\"type\":\"replayed\"") && text.Contains($"\"count\":{maxReplay}") && !text.Contains("truncated")
                ? text.TrimEnd('}') + ",\"truncated\":true}"
                : text);
        await ann.JoinAsync("ann");
        await ann.SendAsync("before the hole");
        await ann.ExpectOneAsync("before the hole");

        await connection.CutAsync();
        await Expect(ann.Page.Locator("body[data-connection=closed]")).ToBeAttachedAsync();
        var bob = server.Client(await server.SignInAsync("bob"));
        for (var i = 1; i <= 12; i++) await bob.PostJsonAsync("/api/messages", new { text = $"while away {i:00}" });
        connection.Restore();
        await ann.WaitConnectedAsync();

        await ann.ExpectOneAsync("while away 12");
        await Expect(ann.Entries("while away 07")).ToHaveCountAsync(0);
        var gap = ann.Log.GetByRole(AriaRole.Button, new() { Name = "Load earlier messages" });
        for (var click = 0; click < 5 && await gap.CountAsync() > 0; click++)
        {
            var shown = await ann.Log.Locator("[data-id]").CountAsync();
            await gap.ClickAsync();
            await Expect(ann.Log.Locator("[data-id]")).Not.ToHaveCountAsync(shown, new() { Timeout = BrowserFixture.TimeoutMs });
        }
        await Expect(gap).ToHaveCountAsync(0);

        var texts = (await ann.Log.Locator("[data-kind=message] .body").AllTextContentsAsync()).Select(t => t.Trim()).ToArray();
        Assert.Equal(["before the hole", .. Enumerable.Range(1, 12).Select(i => $"while away {i:00}")], texts);
        var ids = await ann.Log.Locator("[data-id]").EvaluateAllAsync<long[]>("nodes => nodes.map(n => Number(n.dataset.id))");
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    private static Task<double> TopInLogAsync(ChatPage page, string id) =>
        page.Log.EvaluateAsync<double>($"log => log.querySelector('[data-id=\"{id}\"]').getBoundingClientRect().top - log.getBoundingClientRect().top");
}
