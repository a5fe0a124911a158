using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Accounts;

[Collection(BrowserCollection.Name)]
public sealed class JoinBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task ABadNameGetsAClearMessageBesideTheField()
    {
        await using var server = await ChatServer.StartAsync();
        await using var person = await browser.NewPersonAsync(server);

        await person.NameField.FillAsync("no spaces allowed");
        await person.JoinButton.ClickAsync();

        await Expect(person.Page.Locator("#join-error")).ToContainTextAsync("1 to 32 letters");
        await Expect(person.NameField).ToHaveValueAsync("no spaces allowed");
        await Expect(person.NameField).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(person.MessageBox).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ATakenNameIsRefusedUnlessThePasswordIsGiven()
    {
        await using var server = await ChatServer.StartAsync();
        await using var owner = await browser.NewPersonAsync(server);
        await owner.JoinAsync("Olga");
        await owner.Page.GetByText("Account").ClickAsync();
        await owner.Page.GetByLabel("Password for another device").FillAsync("correct horse");
        await owner.Page.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Expect(owner.Page.Locator("#password-result")).ToContainTextAsync("Password set");

        await using var other = await browser.NewPersonAsync(server);
        await other.NameField.FillAsync("olga");
        await other.JoinButton.ClickAsync();
        await Expect(other.Page.Locator("#join-error")).ToContainTextAsync("taken");

        await other.Page.GetByLabel("Password (only if you set one)").FillAsync("correct horse");
        await other.JoinButton.ClickAsync();
        await Expect(other.MessageBox).ToBeVisibleAsync();
        await Expect(other.Page.Locator("body")).ToHaveAttributeAsync("data-user", "Olga");
    }

    [Fact]
    public async Task AReturningBrowserGoesStraightIntoTheRoomUntilItSignsOut()
    {
        await using var server = await ChatServer.StartAsync();
        await using var person = await browser.NewPersonAsync(server);
        await person.JoinAsync("rita");

        var again = await person.Page.Context.NewPageAsync();
        await again.GotoAsync("/");
        var secondTab = new ChatPage(again);
        await Expect(secondTab.MessageBox).ToBeVisibleAsync();
        await secondTab.WaitConnectedAsync();
        await again.CloseAsync();

        await person.Page.GetByText("Account").ClickAsync();
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await person.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out anyway" }).ClickAsync(); // the name has no password
        await Expect(person.NameField).ToBeVisibleAsync();
        await person.Page.ReloadAsync();
        await Expect(person.NameField).ToBeVisibleAsync();
    }
}
