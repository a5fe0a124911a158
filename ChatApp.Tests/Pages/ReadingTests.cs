using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Issue 13, item 6: grouped messages, day separators, a favicon; part notices say "left".</summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class ReadingTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task ConsecutiveMessagesFromOneSenderShowOneNameAndTimeUnderATodaySeparator(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        foreach (var text in new[] { "bob one", "bob two", "bob three" }) await bob.SendJsonAsync(new { type = "message", text });
        await ann.ExpectOneAsync("bob three");
        await ann.SendAsync("ann answers");
        await ann.ExpectOneAsync("ann answers");

        await Expect(ann.Entries("bob one")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcontinued\b"));
        await Expect(ann.Entries("bob two")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcontinued\b"));
        await Expect(ann.Entries("bob three")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcontinued\b"));
        await Expect(ann.Entries("ann answers")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcontinued\b"));
        // The name shows once for the group; the grouped entries keep it for screen readers only.
        await Expect(ann.Entries("bob one").Locator(".from")).ToBeVisibleAsync();
        var hidden = await ann.Entries("bob two").Locator(".meta").EvaluateAsync<double>("meta => meta.getBoundingClientRect().height");
        Assert.True(hidden <= 1, $"the grouped entry still shows its name ({hidden} px)");

        await Expect(ann.Log.Locator(".day-separator")).ToHaveTextAsync(["Today"]);

        // After a reload the page groups the same way (first paint on the server, then the script).
        await ann.Page.ReloadAsync();
        await ann.WaitConnectedAsync();
        await Expect(ann.Entries("bob two")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcontinued\b"));
        await Expect(ann.Log.Locator(".day-separator")).ToHaveTextAsync(["Today"]);
    }

    [Fact]
    public async Task ThePageHasAFaviconAndAPartNoticeSaysLeft()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:PresenceGraceSeconds"] = "0" });
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        var icon = await ann.Page.Locator("link[rel=icon]").GetAttributeAsync("href");
        var response = await ann.Page.APIRequest.GetAsync(icon!);
        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        Assert.StartsWith("image/", response.Headers["content-type"]);

        var bob = await server.JoinAsync("bob");
        await Expect(ann.Log.Locator(".entry.system[data-event=join]", new() { HasText = "bob joined" })).ToHaveCountAsync(1);
        await bob.CloseAsync();
        var part = ann.Log.Locator(".entry.system[data-event=part]");
        await Expect(part.Locator(".text")).ToHaveTextAsync("bob left");
        await Expect(part.GetByRole(AriaRole.Link, new() { Name = "bob" })).ToHaveAttributeAsync("href", "/profile/bob");
        await bob.DisposeAsync();
    }
}
