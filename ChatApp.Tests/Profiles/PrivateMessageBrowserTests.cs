using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Profiles;

[Collection(BrowserCollection.Name)]
public sealed class PrivateMessageBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task ClickingANameInOnlineSendsPrivatelyToThatUserAloneAndReplyingIsOneClick()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        await using var bob = await browser.NewPersonAsync(server);
        await bob.JoinAsync("bob");
        await using var carl = await browser.NewPersonAsync(server);
        await carl.JoinAsync("carl");

        await ann.OnlineUser("bob").ClickAsync();
        await Expect(ann.Page.Locator("#private-target")).ToContainTextAsync("bob");
        await Expect(ann.MessageBox).ToBeFocusedAsync();
        await ann.SendAsync("psst bob");

        var atBob = bob.Entries("psst bob");
        await Expect(atBob).ToHaveCountAsync(1);
        await Expect(atBob).ToHaveAttributeAsync("data-private", "true");
        await Expect(atBob.Locator(".private-tag")).ToBeVisibleAsync();
        await Expect(atBob.Locator(".from")).ToHaveTextAsync("ann");
        var atAnn = ann.Entries("psst bob");
        await Expect(atAnn).ToHaveAttributeAsync("data-private", "true");
        await Expect(atAnn.Locator(".private-tag")).ToContainTextAsync("bob");

        // Carl gets the public message sent after it, so the private one would have come first.
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel private message" }).ClickAsync();
        await ann.SendAsync("hello everyone");
        await carl.ExpectOneAsync("hello everyone");
        await Expect(carl.Entries("psst bob")).ToHaveCountAsync(0);
        await Expect(carl.Log.Locator("[data-private=true]")).ToHaveCountAsync(0);
        await Expect(carl.Entries("hello everyone")).Not.ToHaveAttributeAsync("data-private", "true");

        await atBob.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await Expect(bob.Page.Locator("#private-target")).ToContainTextAsync("ann");
        await bob.SendAsync("got it");
        await Expect(ann.Entries("got it")).ToHaveAttributeAsync("data-private", "true");
        await carl.Page.ReloadAsync();
        await carl.WaitConnectedAsync();
        await carl.ExpectOneAsync("hello everyone");
        await Expect(carl.Log.Locator("[data-private=true]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SlashMsgInTheMessageBoxSendsPrivately()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        await using var carl = await server.JoinAsync("carl");

        await ann.SendAsync("/msg bob just for you");

        var frame = await bob.ExpectMessageAsync("just for you");
        Assert.Equal("bob", frame.GetProperty("to").GetString());
        await Expect(ann.Entries("just for you")).ToHaveAttributeAsync("data-private", "true");
        await ann.SendAsync("public after");
        await carl.ExpectMessageAsync("public after");

        await ann.SendAsync("/msg nobody-here hi");
        await Expect(ann.Page.Locator("#composer-error")).ToContainTextAsync("No user has that name");
        await Expect(ann.MessageBox).ToHaveValueAsync("/msg nobody-here hi");
        await Expect(ann.Log.Locator("[data-pending=true]")).ToHaveCountAsync(0);
    }
}
