using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>
/// A page open while hundreds of people join at once: every join reaches the Online list, in the server's order, and
/// a reader at the bottom of the log stays there. (roster.js once redrew the whole list for each join, and the log
/// was measured and scrolled for each entry: a storm of 1,000 joins kept the page seconds behind.)
/// </summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class JoinStormBrowserTests(BrowserFixture browser)
{
    private const int Joining = 300;

    [Fact]
    public async Task EveryJoinOfAStormReachesTheListInOrderAndTheLogFollowsThem()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:SignInLimit:Requests"] = "100000", ["Chat:SignInLimit:PerSeconds"] = "1" });
        await using var watcher = await browser.NewPersonAsync(server);
        await watcher.JoinAsync("watcher");
        // Names whose case-insensitive order is not their order of arrival.
        var names = Enumerable.Range(0, Joining).Select(i => (i % 3) switch { 0 => $"user{i:D3}", 1 => $"User_{Joining - i:D3}", _ => $"_u{i:D3}" }).ToArray();
        var tokens = new List<string>();
        foreach (var name in names) tokens.Add(await server.SignInAsync(name));

        var sockets = await Task.WhenAll(tokens.Select(token => server.ConnectAsync(token)));
        try
        {
            await Expect(watcher.Page.Locator(".online-count")).ToHaveTextAsync($"{Joining + 1}");
            var listed = await watcher.Online.Locator("li").EvaluateAllAsync<string[]>("items => items.map(li => li.dataset.user)");
            Assert.Equal(names.Append("watcher").Order(Names.Comparer), listed);
            await Expect(watcher.Log.Locator("[data-event=join]")).ToHaveCountAsync(Joining + 1); // the watcher's own too
            await Expect(watcher.Log.Locator("[data-id]").Last).ToBeInViewportAsync();
            await Expect(watcher.Page.Locator("#new-messages")).ToBeHiddenAsync();
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }
}
