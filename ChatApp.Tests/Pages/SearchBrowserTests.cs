using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>The page's search box (PROTOCOL.md §3): results newest first, and a result jumps to its message in context.</summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class SearchBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task AResultJumpsToItsMessageLoadingTheHistoryAroundIt(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        using var bob = server.Client(await server.SignInAsync("bob"));
        using var carl = server.Client(await server.SignInAsync("carl"));
        await PostAsync(bob, "just before the needle");
        var needle = await PostAsync(bob, "a **needle** in the haystack");
        await PostAsync(carl, "a private needle for bob", to: "bob");
        // More than the first paint's 50, so the needle is not in the log when the page opens.
        for (var i = 0; i < 70; i++) await PostAsync(bob, $"hay {i}");
        await PostAsync(bob, "the newest needle");

        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await Expect(ann.Entries("hay 69")).ToHaveCountAsync(1);
        await Expect(ann.Log.Locator($"[data-id=\"{needle}\"]")).ToHaveCountAsync(0);

        var box = ann.Page.GetByRole(AriaRole.Searchbox, new() { Name = "Search messages" });
        await box.FillAsync("needle");
        await box.PressAsync("Enter");
        var results = ann.Page.GetByRole(AriaRole.Region, new() { Name = "Search results" });
        var hits = results.GetByRole(AriaRole.List).GetByRole(AriaRole.Button);
        await Expect(hits).ToHaveCountAsync(3);
        await Expect(hits.Filter(new() { HasText = "private" })).ToHaveCountAsync(0); // carl's to bob is not ann's to see
        await Expect(hits.First).ToContainTextAsync("the newest needle");
        await Expect(hits.Nth(1)).ToContainTextAsync("a **needle** in the haystack");
        await Expect(hits.Nth(1).Locator("mark")).ToHaveTextAsync("needle");
        await ann.ShootAsync($"search-{screen}-results");

        await hits.Nth(1).ClickAsync();
        await Expect(results).ToBeHiddenAsync();
        var found = ann.Log.Locator($"[data-id=\"{needle}\"]");
        await Expect(found).ToBeInViewportAsync();
        await Expect(found.Locator("strong")).ToHaveTextAsync("needle");
        await Expect(ann.Entries("just before the needle")).ToHaveCountAsync(1);
        await Expect(ann.Entries("hay 0")).ToHaveCountAsync(1);
        // Nothing is shown twice, and the live conversation goes on below.
        await Expect(ann.Entries("hay 69")).ToHaveCountAsync(1);
        await ann.ShootAsync($"search-{screen}-jumped");
        await ann.SendAsync("still live");
        await ann.ExpectOneAsync("still live");
    }

    private static async Task<long> PostAsync(HttpClient client, string text, string? to = null)
    {
        var (status, stored) = await client.PostJsonAsync("/api/messages", new { text, to });
        Assert.Equal(HttpStatusCode.Created, status);
        return stored.GetProperty("id").GetInt64();
    }
}
