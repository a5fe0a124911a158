using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

[Collection(ReadingBrowserCollection.Name)]
public sealed class HistoryBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task AReloadShowsTheHistoryOnceRenderedByTheServer()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        await bob.SendJsonAsync(new { type = "message", text = "first *from* bob" });
        await ann.SendAsync("second from ann");
        await ann.ExpectOneAsync("first from bob");
        await ann.ExpectOneAsync("second from ann");

        // The first paint carries the history before any script runs.
        var response = await ann.Page.APIRequest.GetAsync("/");
        var html = await response.TextAsync();
        Assert.Contains("first <em>from</em> bob", html);
        Assert.Contains("second from ann", html);

        await ann.Page.ReloadAsync();
        await ann.WaitConnectedAsync();
        await ann.ExpectOneAsync("first from bob");
        await ann.ExpectOneAsync("second from ann");
        await Expect(ann.Entries("first from bob").Locator("em")).ToHaveTextAsync("from");
        await Expect(ann.Entries("second from ann")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"));
        await Expect(ann.Entries("first from bob")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"));

        // Live events after the reload still arrive, once.
        await bob.SendJsonAsync(new { type = "message", text = "third from bob" });
        await ann.ExpectOneAsync("third from bob");
        var ids = await ann.Log.Locator("[data-id]").EvaluateAllAsync<string[]>("nodes => nodes.map(n => n.dataset.id)");
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public async Task EnterSendsShiftEnterMakesANewLineAndTheBoxKeepsFocus()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await ann.MessageBox.PressSequentiallyAsync("line one");
        await ann.MessageBox.PressAsync("Shift+Enter");
        await ann.MessageBox.PressSequentiallyAsync("line two");
        await Expect(ann.MessageBox).ToHaveValueAsync("line one\nline two");
        await ann.MessageBox.PressAsync("Enter");

        var entry = ann.Entries("line one");
        await Expect(entry).ToHaveCountAsync(1);
        Assert.Contains("line two", await entry.Locator(".body").InnerTextAsync());
        await Expect(ann.MessageBox).ToHaveValueAsync("");
        await Expect(ann.MessageBox).ToBeFocusedAsync();

        await ann.MessageBox.FillAsync("by button");
        await ann.SendButton.ClickAsync();
        await ann.ExpectOneAsync("by button");
        await Expect(ann.MessageBox).ToBeFocusedAsync();
    }

    [Fact]
    public async Task AReaderScrolledUpIsNotPulledDownButSeesANewMessagesMarker()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        for (var i = 0; i < 40; i++) await bob.SendJsonAsync(new { type = "message", text = $"filler {i}" });
        await ann.ExpectOneAsync("filler 39");
        await Expect(ann.Page.Locator("#new-messages")).ToBeHiddenAsync();

        await ann.Log.EvaluateAsync("log => { log.scrollTop = 0; log.dispatchEvent(new Event('scroll')); }");
        await bob.SendJsonAsync(new { type = "message", text = "while scrolled up" });
        await ann.ExpectOneAsync("while scrolled up");
        var marker = ann.Page.GetByRole(AriaRole.Button, new() { Name = "New messages" });
        await Expect(marker).ToBeVisibleAsync();
        Assert.Equal(0, await ann.Log.EvaluateAsync<double>("log => log.scrollTop"));

        await marker.ClickAsync();
        await Expect(marker).ToBeHiddenAsync();
        await Expect(ann.Entries("while scrolled up")).ToBeInViewportAsync();
    }
}
