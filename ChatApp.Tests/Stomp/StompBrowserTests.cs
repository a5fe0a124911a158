using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Stomp;

[Collection(BrowserCollection.Name)]
public sealed class StompBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task APageUsingStompJsFromOurOwnStaticFilesChatsWithTheRegularChatPage()
    {
        await using var server = await ChatServer.StartAsync();
        await using var regular = await browser.NewPersonAsync(server);
        await regular.JoinAsync("pagey");
        await using var demo = await browser.NewPersonAsync(server);
        var requests = new List<string>();
        demo.Page.Request += (_, r) => requests.Add(r.Url);
        await demo.Page.GotoAsync("/stomp-demo.html");
        await demo.Page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("stomper");
        await demo.Page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Expect(demo.Page.Locator("body[data-stomp=connected]")).ToBeAttachedAsync();

        await demo.Page.GetByRole(AriaRole.Textbox, new() { Name = "STOMP message" }).FillAsync("hi from stompjs");
        await demo.Page.GetByRole(AriaRole.Button, new() { Name = "Send over STOMP" }).ClickAsync();
        await regular.ExpectOneAsync("hi from stompjs");

        await regular.SendAsync("hi from the page");
        await Expect(demo.Page.GetByRole(AriaRole.List, new() { Name = "STOMP messages" })).ToContainTextAsync("pagey: hi from the page");
        Assert.All(requests, url => Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), url)); // no CDN
    }
}
