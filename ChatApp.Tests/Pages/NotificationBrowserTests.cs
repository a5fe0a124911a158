using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Pages;

[Collection(WritingBrowserCollection.Name)]
public sealed class NotificationBrowserTests(BrowserFixture browser)
{
    // Headless Chromium shows no desktop notifications: a stand-in records what the page asks for.
    private const string RecordingNotifications = """
        window.__asked = 0;
        window.__shown = [];
        window.Notification = class {
          constructor(title, options) { window.__shown.push(title + ': ' + (options?.body ?? '')); }
          addEventListener() {}
          close() {}
          static get permission() { return window.__permission ?? 'default'; }
          static requestPermission() { window.__asked++; window.__permission = 'granted'; return Promise.resolve('granted'); }
        };
        """;

    private const string Hide = "() => { Object.defineProperty(document, 'hidden', { value: true, configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }";
    private const string Show = "() => { Object.defineProperty(document, 'hidden', { value: false, configurable: true }); document.dispatchEvent(new Event('visibilitychange')); }";

    [Fact]
    public async Task PermissionIsAskedOnlyOnAClickAndAHiddenPageNotifiesOfPrivateMessagesAndProfileVisits()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, prepare: context => context.AddInitScriptAsync(RecordingNotifications));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        Assert.Equal(0, await ann.Page.EvaluateAsync<int>("() => window.__asked"));
        var enable = ann.Page.GetByRole(AriaRole.Button, new() { Name = "Enable notifications" });
        await enable.ClickAsync();
        await Expect(enable).ToBeHiddenAsync();
        Assert.Equal(1, await ann.Page.EvaluateAsync<int>("() => window.__asked"));

        await ann.Page.EvaluateAsync(Hide);
        await bob.SendJsonAsync(new { type = "message", text = "public chatter" });
        await bob.SendJsonAsync(new { type = "message", text = "only for ann", to = "ann" });
        await server.Service<ChatRoom>().VisitProfileAsync("ann", "203.0.113.7").WaitAsync(ChatServer.Timeout);

        await Expect(ann.Page).ToHaveTitleAsync("(2) ChatApp");
        var shown = await ann.Page.EvaluateAsync<string[]>("() => window.__shown");
        // Both reach the room independently, so in either order.
        Assert.Equal(["Profile visit: ann, someone from 203.0.113.7 checked out your profile", "bob (private): only for ann"], shown.Order(StringComparer.Ordinal));
        await Expect(ann.Log.Locator(".entry.system[data-event=profile]")).ToHaveAttributeAsync("data-private", "true");

        await ann.Page.EvaluateAsync(Show);
        await Expect(ann.Page).ToHaveTitleAsync("ChatApp");
    }
}
