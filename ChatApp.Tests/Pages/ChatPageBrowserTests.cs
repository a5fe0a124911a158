using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

[Collection(WritingBrowserCollection.Name)]
public sealed class ChatPageBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task TwoPeopleInTwoBrowsersSeeEachOtherComeTalkAndLeave()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        var bob = await browser.NewPersonAsync(server);
        await bob.JoinAsync("bob");

        await Expect(ann.OnlineUser("bob")).ToBeVisibleAsync();
        await Expect(bob.OnlineUser("ann")).ToBeVisibleAsync();
        await Expect(bob.Online.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);

        await ann.SendAsync("hello bob");
        await bob.ExpectOneAsync("hello bob");
        await Expect(bob.Entries("hello bob").Locator(".from")).ToHaveTextAsync("ann");
        await Expect(bob.Entries("hello bob").Locator("time")).Not.ToBeEmptyAsync();
        await ann.ExpectOneAsync("hello bob");
        await Expect(ann.Entries("hello bob")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"));
        await Expect(bob.Entries("hello bob")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"));

        await bob.SendAsync("**bold** move");
        await Expect(ann.Entries("bold move").Locator("strong")).ToHaveTextAsync("bold");
        await Expect(ann.Log.Locator(".entry.system[data-event=join]", new() { HasText = "bob joined" })).ToHaveCountAsync(1);

        await bob.DisposeAsync();
        await Expect(ann.OnlineUser("bob")).ToHaveCountAsync(0);
        await Expect(ann.OnlineUser("ann")).ToBeVisibleAsync();
        await Expect(ann.Log.Locator(".entry.system[data-event=part]", new() { HasText = "bob left" })).ToHaveCountAsync(1);
    }
}
