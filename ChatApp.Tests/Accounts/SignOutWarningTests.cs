using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Accounts;

/// <summary>Issue 13, item 4: signing out of a name with no password gives it up; the page says so first and offers a password.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignOutWarningTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task SigningOutWithoutAPasswordWarnsAndOffersToSetOneFirst(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");

        await ann.Page.GetByText("Account").ClickAsync();
        await Expect(ann.Page.Locator("#no-password-note")).ToContainTextAsync("no password");
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var warning = ann.Page.GetByRole(AriaRole.Dialog, new() { Name = "Sign out without a password?" });
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning).ToContainTextAsync("nobody can use this name again");
        Assert.True(await ann.IsInsideViewportAsync(warning), "the warning does not fit the screen");

        await warning.GetByRole(AriaRole.Button, new() { Name = "Set a password first" }).ClickAsync();
        await Expect(warning).ToBeHiddenAsync();
        var password = ann.Page.GetByLabel("Password for another device");
        await Expect(password).ToBeFocusedAsync();
        await password.FillAsync("correct horse");
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Expect(ann.Page.Locator("#password-result")).ToContainTextAsync("Password set");
        await Expect(ann.Page.Locator("#no-password-note")).ToHaveCountAsync(0);

        // With a password, signing out goes straight through, and the name can be had back with it.
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(ann.NameField).ToBeVisibleAsync();
        await ann.NameField.FillAsync("ann");
        await ann.Page.GetByText("Have a password from another device?").ClickAsync();
        await ann.Page.GetByLabel("Password (only if you set one)").FillAsync("correct horse");
        await ann.JoinButton.ClickAsync();
        await Expect(ann.MessageBox).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SigningOutAnywayGivesTheNameUpAsTheWarningSaid()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await ann.Page.GetByText("Account").ClickAsync();
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out anyway" }).ClickAsync();
        await Expect(ann.NameField).ToBeVisibleAsync();
        await ann.NameField.FillAsync("ann");
        await ann.JoinButton.ClickAsync();
        await Expect(ann.Page.Locator("#join-error")).ToContainTextAsync("taken");
    }
}
