using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Profiles;

/// <summary>Issue 13, item 8: names link to profiles; the profile page follows the chat's theme and the reader's clock; the owner's notice is a sentence.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProfileLinkTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task EveryNameInTheLogAndInOnlineLinksToItsProfile(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob.b");
        await bob.SendJsonAsync(new { type = "message", text = "hello from bob" });

        var inLog = ann.Entries("hello from bob").GetByRole(AriaRole.Link, new() { Name = "bob.b", Exact = true });
        await Expect(inLog).ToHaveAttributeAsync("href", "/profile/bob.b");
        var inOnline = ann.OnlineUser("bob.b").GetByRole(AriaRole.Link, new() { Name = "bob.b’s profile" });
        await Expect(inOnline).ToHaveAttributeAsync("href", "/profile/bob.b");
        await Expect(ann.OnlineUser("ann").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", "/profile/ann");

        await inOnline.ClickAsync();
        await Expect(ann.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("bob.b");
        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheProfilePageUsesTheChatsThemeAndTheReadersLocalTime(bool dark)
    {
        await using var server = await ChatServer.StartAsync();
        await using var reader = await browser.NewPersonAsync(server, dark: dark, timeZone: "Asia/Tokyo");
        await using var jim = await server.JoinAsync("jim");
        await jim.CloseAsync();

        await reader.Page.GotoAsync("/profile/jim");
        await Expect(reader.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("jim");
        var background = await reader.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.Equal(dark ? "rgb(20, 22, 28)" : "rgb(244, 245, 248)", background);
        // Times are shown in the reader's zone (the markup says UTC until the script runs).
        var joined = reader.Page.Locator("time").Last;
        await Expect(joined).Not.ToContainTextAsync("UTC");
        var iso = await joined.GetAttributeAsync("datetime");
        var tokyo = DateTime.Parse(iso!, null, System.Globalization.DateTimeStyles.RoundtripKind).ToUniversalTime().AddHours(9);
        await Expect(joined).ToContainTextAsync(tokyo.ToString("h:mm", System.Globalization.CultureInfo.InvariantCulture)); // en-US: "2:02 PM"
        await reader.ShootAsync($"profile-{(dark ? "dark" : "light")}");
    }

    [Fact]
    public async Task TheOwnersProfileNoticeReadsAsASentenceLiveAndAfterAReload()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        using var visitor = server.Client();
        await visitor.GetAsync("/profile/ann");
        var notice = ann.Log.Locator(".entry.system[data-event=profile]");
        var sentence = new Regex(@"^ann, someone from 127\.0\.0\.1 checked out your profile \(only you see this\) \S");
        await Expect(notice).ToHaveTextAsync(sentence);

        await ann.Page.ReloadAsync();
        await ann.WaitConnectedAsync();
        await Expect(notice).ToHaveCountAsync(1);
        await Expect(notice).ToHaveTextAsync(sentence);
    }
}
