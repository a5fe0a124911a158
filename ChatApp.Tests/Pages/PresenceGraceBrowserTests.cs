using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>The presence grace in the real page (PROTOCOL.md §2.1): a reload is silent for everyone else.</summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class PresenceGraceBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task AReloadAnnouncesNoLeavingAndNoSecondJoin(string screen)
    {
        // A grace no reload here comes near; nothing waits for it to run out.
        await using var server = await ChatServer.StartAsync(new() { ["Chat:PresenceGraceSeconds"] = "600" });
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await bob.JoinAsync("bob");
        await Expect(ann.OnlineUser("bob")).ToBeVisibleAsync();

        await bob.Page.ReloadAsync();
        await bob.WaitConnectedAsync();
        await Expect(bob.OnlineUser("bob")).ToBeVisibleAsync();
        await bob.SendAsync("back after a reload");

        // The marker arrived after anything the reload could have announced: nothing was.
        await ann.ExpectOneAsync("back after a reload");
        await Expect(ann.Log.Locator(".entry.system[data-event=join][data-user=bob]")).ToHaveCountAsync(1);
        await Expect(ann.Log.Locator(".entry.system[data-event=part]")).ToHaveCountAsync(0);
        await Expect(ann.OnlineUser("bob")).ToBeVisibleAsync();
        await ann.ShootAsync($"presence-{screen}-after-reload");
    }
}
