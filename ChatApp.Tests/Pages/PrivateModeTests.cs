using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Issue 13, item 9: private mode says whom the next message goes to until cancelled; never to oneself.</summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class PrivateModeTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task PickingANameShowsWhomMessagesGoToUntilCancelled(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        await ann.OnlineUser("bob").GetByRole(AriaRole.Button, new() { Name = "bob" }).ClickAsync();
        var target = ann.Page.Locator("#private-target");
        await Expect(target).ToBeVisibleAsync();
        await Expect(target).ToContainTextAsync("Private message to bob");
        Assert.True(await ann.IsInsideViewportAsync(target), "the private-mode bar is off-screen");

        await ann.SendAsync("first secret");
        await ann.SendAsync("second secret");
        await Expect(ann.Entries("second secret")).ToHaveAttributeAsync("data-private", "true");
        await Expect(ann.Entries("first secret")).ToHaveAttributeAsync("data-private", "true");
        await Expect(target).ToBeVisibleAsync(); // still private after sending

        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel private message" }).ClickAsync();
        await Expect(target).ToBeHiddenAsync();
        await ann.SendAsync("to everyone again");
        await ann.ExpectOneAsync("to everyone again");
        await Expect(ann.Entries("to everyone again")).Not.ToHaveAttributeAsync("data-private", "true");
    }

    [Fact]
    public async Task AUserCannotStartAPrivateMessageToThemselves()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await Expect(ann.OnlineUser("ann").GetByRole(AriaRole.Button, new() { Name = "ann" })).ToBeDisabledAsync();
        await ann.SendAsync("/msg ANN note to self");
        await Expect(ann.Page.Locator("#composer-error")).ToContainTextAsync("That is you");
        await Expect(ann.MessageBox).ToHaveValueAsync("/msg ANN note to self");
        await Expect(ann.Page.Locator("#private-target")).ToBeHiddenAsync();

        await ann.MessageBox.FillAsync("marker after");
        await ann.MessageBox.PressAsync("Enter");
        await ann.ExpectOneAsync("marker after");
        await Expect(ann.Entries("note to self")).ToHaveCountAsync(0);
    }
}
