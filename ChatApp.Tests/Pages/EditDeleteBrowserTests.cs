using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Editing and deleting one's own messages and files in the real page (PROTOCOL.md §2.4), on a desktop and a phone screen.</summary>
[Collection(WritingBrowserCollection.Name)]
public sealed class EditDeleteBrowserTests(BrowserFixture browser)
{
    private static ILocator Button(ILocator scope, string name) => scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task AnAuthorEditsOnHoverAndWithTheUpArrowDeletesWithTheKeyboardAndEveryoneSeesIt(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await bob.JoinAsync("bob");

        await ann.SendAsync("frist message");
        await ann.ExpectOneAsync("frist message");
        var first = ann.Entries("frist message");

        // Hover offers Edit; the editor holds the Markdown as typed; Enter saves.
        await first.HoverAsync();
        await Button(first, "Edit message").ClickAsync();
        var editor = ann.Page.GetByRole(AriaRole.Textbox, new() { Name = "Edit message" });
        await Expect(editor).ToHaveValueAsync("frist message");
        await editor.FillAsync("first **message**");
        await editor.PressAsync("Enter");
        await Expect(editor).ToHaveCountAsync(0);
        await Expect(ann.MessageBox).ToBeFocusedAsync();
        var edited = ann.Entries("first message");
        await Expect(edited.Locator("strong")).ToHaveTextAsync("message");
        await Expect(edited.Locator(".edited-tag")).ToHaveTextAsync("(edited)");
        await Expect(bob.Entries("first message").Locator(".edited-tag")).ToHaveTextAsync("(edited)");
        await Expect(bob.Entries("frist")).ToHaveCountAsync(0);
        // Nobody else is offered changes to ann's messages.
        await Expect(Button(bob.Log, "Edit message")).ToHaveCountAsync(0);
        await Expect(Button(bob.Log, "Delete message")).ToHaveCountAsync(0);

        // ↑ in the empty box edits the last own message; Escape cancels, the text stays.
        await ann.SendAsync("second one");
        await ann.ExpectOneAsync("second one");
        await ann.MessageBox.PressAsync("ArrowUp");
        await Expect(editor).ToHaveValueAsync("second one");
        await editor.PressAsync("Escape");
        await Expect(editor).ToHaveCountAsync(0);
        await ann.MessageBox.PressAsync("ArrowUp");
        await editor.PressAsync("End");
        await editor.PressSequentiallyAsync(" (fixed)");
        await editor.PressAsync("Enter");
        await Expect(ann.Entries("second one (fixed)").Locator(".edited-tag")).ToBeVisibleAsync();
        await Expect(bob.Entries("second one (fixed)")).ToHaveCountAsync(1);
        await ann.ShootAsync($"edits-{screen}-edited");

        // Delete with the keyboard: focus shows the buttons, Enter asks, Enter confirms.
        var delete = Button(ann.Entries("first message"), "Delete message");
        await delete.FocusAsync();
        await Expect(delete).ToBeVisibleAsync();
        await ann.Page.Keyboard.PressAsync("Enter");
        await Expect(Button(ann.Log, "Yes, delete")).ToBeFocusedAsync();
        await ann.Page.Keyboard.PressAsync("Enter");
        await Expect(ann.Log.Locator(".entry[data-deleted=true]")).ToHaveTextAsync(new Regex("Message deleted"));
        await Expect(bob.Log.Locator(".entry[data-deleted=true]")).ToHaveTextAsync(new Regex("Message deleted"));
        await Expect(bob.Entries("first message")).ToHaveCountAsync(0);
        await bob.ShootAsync($"edits-{screen}-seen-by-bob");

        // The first paint shows the current state too.
        await ann.Page.ReloadAsync();
        await ann.WaitConnectedAsync();
        await Expect(ann.Entries("second one (fixed)").Locator(".edited-tag")).ToHaveTextAsync("(edited)");
        await Expect(ann.Log.Locator(".entry[data-deleted=true]")).ToHaveTextAsync(new Regex("Message deleted"));
        await Expect(ann.Entries("first message")).ToHaveCountAsync(0);
        // A server-rendered message is edited just the same.
        var second = ann.Entries("second one (fixed)");
        await second.HoverAsync();
        await Button(second, "Edit message").ClickAsync();
        await Expect(editor).ToHaveValueAsync("second one (fixed)");
        await editor.FillAsync("second one, final");
        await editor.PressAsync("Enter");
        await Expect(bob.Entries("second one, final")).ToHaveCountAsync(1);
        await ann.ShootAsync($"edits-{screen}-after-reload");
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task AnAuthorDeletesTheirFileAndItsLinkIsGoneForEveryone(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await bob.JoinAsync("bob");

        var attach = ann.Page.GetByRole(AriaRole.Button, new() { Name = "Attach file", Exact = true });
        var chooser = await ann.Page.RunAndWaitForFileChooserAsync(() => attach.ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "plans.txt", MimeType = "text/plain", Buffer = "the plans"u8.ToArray() });
        var link = bob.Log.GetByRole(AriaRole.Link, new() { Name = "plans.txt" });
        await Expect(link).ToBeVisibleAsync();
        var url = await link.GetAttributeAsync("href");

        var entry = ann.Log.Locator(".entry.mine[data-kind=file]");
        await entry.HoverAsync();
        await Expect(Button(entry, "Edit message")).ToHaveCountAsync(0); // files are deleted, not edited
        await Button(entry, "Delete file").ClickAsync();
        await Button(entry, "Yes, delete").ClickAsync();

        await Expect(bob.Log.Locator(".entry[data-kind=file][data-deleted=true]")).ToHaveTextAsync(new Regex("File deleted"));
        await Expect(link).ToHaveCountAsync(0);
        await Expect(ann.Log.GetByRole(AriaRole.Link, new() { Name = "plans.txt" })).ToHaveCountAsync(0);
        var response = await bob.Page.APIRequest.GetAsync(url!);
        Assert.Equal(410, response.Status);
        await bob.ShootAsync($"file-deleted-{screen}");
    }
}
