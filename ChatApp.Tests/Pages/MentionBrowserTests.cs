using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

/// <summary>Mentions in the real page (PROTOCOL.md §2.4): @ autocompletes from the Online list; the mentioned reader's entry is marked and notifies.</summary>
[Collection(WritingBrowserCollection.Name)]
public sealed class MentionBrowserTests(BrowserFixture browser)
{
    // Headless Chromium shows no desktop notifications: a stand-in records what the page asks for.
    private const string RecordingNotifications = """
        window.__shown = [];
        window.__permission = 'granted';
        window.Notification = class {
          constructor(title, options) { window.__shown.push(title + ': ' + (options?.body ?? '')); }
          addEventListener() {}
          close() {}
          static get permission() { return window.__permission; }
          static requestPermission() { return Promise.resolve('granted'); }
        };
        """;

    private const string Hide = "() => { Object.defineProperty(document, 'hidden', { value: true, configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }";
    private const string Show = "() => { Object.defineProperty(document, 'hidden', { value: false, configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }";

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task AtAutocompletesFromTheRosterAndTheMentionedReaderIsMarkedCountedAndNotified(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen),
            prepare: context => context.AddInitScriptAsync(RecordingNotifications));
        await bob.JoinAsync("bob");
        await using var ann = await server.JoinAsync("Annabel");
        await using var andy = await server.JoinAsync("andy");
        await Expect(bob.OnlineUser("andy")).ToBeVisibleAsync();

        // Typing @an offers the matching names from the Online list; arrows and Enter pick one.
        await bob.MessageBox.PressSequentiallyAsync("thanks @an");
        var suggestions = bob.Page.GetByRole(AriaRole.Listbox, new() { Name = "Mention suggestions" });
        await Expect(suggestions.GetByRole(AriaRole.Option)).ToHaveTextAsync(["@andy", "@Annabel"]);
        await bob.ShootAsync($"mentions-{screen}-suggestions");
        await bob.MessageBox.PressAsync("ArrowDown");
        await Expect(suggestions.GetByRole(AriaRole.Option, new() { Name = "@Annabel" })).ToHaveAttributeAsync("aria-selected", "true");
        await bob.MessageBox.PressAsync("Enter");
        await Expect(suggestions).ToBeHiddenAsync();
        await Expect(bob.MessageBox).ToHaveValueAsync("thanks @Annabel ");
        await bob.MessageBox.PressSequentiallyAsync("for the help");
        await bob.MessageBox.PressAsync("Enter");
        var sent = await ann.ExpectMessageAsync("thanks @Annabel for the help");
        Assert.Equal(["Annabel"], sent.GetProperty("mentions").EnumerateArray().Select(m => m.GetString()));
        // One's own message naming someone else is not marked for oneself.
        await Expect(bob.Entries("thanks @Annabel")).Not.ToHaveClassAsync(new Regex(@"\bmentioned\b"));

        // Mentioned while away: the entry is marked, the title counts it, a notification names the sender.
        await bob.Page.EvaluateAsync(Hide);
        await ann.SendJsonAsync(new { type = "message", text = "@BOB: can you look?" });
        await andy.SendJsonAsync(new { type = "message", text = "no mention of anyone" });
        await Expect(bob.Entries("can you look?")).ToHaveClassAsync(new Regex(@"\bmentioned\b"));
        await Expect(bob.Entries("no mention of anyone")).ToHaveCountAsync(1);
        await Expect(bob.Entries("no mention of anyone")).Not.ToHaveClassAsync(new Regex(@"\bmentioned\b"));
        await Expect(bob.Page).ToHaveTitleAsync("(1) ChatApp");
        Assert.Equal(["Annabel mentioned you: @BOB: can you look?"], await bob.Page.EvaluateAsync<string[]>("() => window.__shown"));
        await bob.Page.EvaluateAsync(Show);
        await Expect(bob.Page).ToHaveTitleAsync("ChatApp");
        await bob.ShootAsync($"mentions-{screen}-marked");

        // After a reload the server's own rendering marks it too.
        await bob.Page.ReloadAsync();
        await Expect(bob.Entries("can you look?")).ToHaveClassAsync(new Regex(@"\bmentioned\b"));
        await Expect(bob.Entries("thanks @Annabel")).Not.ToHaveClassAsync(new Regex(@"\bmentioned\b"));
    }
}
