using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Files;

/// <summary>Issue 13, item 7, and issue 12: images open large, files show a type icon, a PDF keeps its type, pushed bytes are not fetched again, offline drops wait.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FileViewingTests(BrowserFixture browser)
{
    private static readonly byte[] Pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task ClickingAnImageOpensItLargeWithItsNameSizeAndADownloadLinkAndEscClosesIt(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        await bob.SendFileAsync("cat.png", "image/png", FileSharing.Png);
        var image = ann.Log.GetByRole(AriaRole.Img, new() { Name = "cat.png" });
        await image.ClickAsync();

        var lightbox = ann.Page.GetByRole(AriaRole.Dialog, new() { Name = "cat.png" });
        await Expect(lightbox).ToBeVisibleAsync();
        await Expect(lightbox.GetByRole(AriaRole.Img, new() { Name = "cat.png" })).ToBeVisibleAsync();
        await Expect(lightbox).ToContainTextAsync($"{FileSharing.Png.Length} B");
        var download = lightbox.GetByRole(AriaRole.Link, new() { Name = "Download" });
        await Expect(download).ToHaveAttributeAsync("download", "cat.png");
        await Expect(download).ToHaveAttributeAsync("href", new Regex(@"^/files/\d+$"));
        Assert.True(await ann.IsInsideViewportAsync(lightbox), "the lightbox does not fit the screen");

        await ann.Page.Keyboard.PressAsync("Escape");
        await Expect(lightbox).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AnImagePushedAsBytesIsShownFromThoseBytesWithoutFetchingItAgain()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        var fetched = new List<string>();
        ann.Page.Request += (_, request) => { if (request.Url.Contains("/files/")) lock (fetched) fetched.Add(request.Url); };
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        await bob.SendFileAsync("pushed.png", "image/png", FileSharing.Png);
        var image = ann.Log.GetByRole(AriaRole.Img, new() { Name = "pushed.png" });
        await Expect(image).ToHaveAttributeAsync("src", new Regex("^blob:"));
        await ann.Page.WaitForFunctionAsync("img => img.complete && img.naturalWidth === 1", await image.ElementHandleAsync());
        // A marker after it: everything the page did for the image is done by the time the marker shows.
        await bob.SendJsonAsync(new { type = "message", text = "marker" });
        await ann.ExpectOneAsync("marker");
        lock (fetched) Assert.Empty(fetched);
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task APdfShowsATypeIconAndDownloadsWithItsRealType(string screen)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server, viewport: BrowserFixture.Screen(screen));
        await ann.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        await bob.SendFileAsync("report.pdf", "application/pdf", Pdf);
        var entry = ann.Log.Locator("[data-kind=file]", new() { HasText = "report.pdf" });
        await Expect(entry.Locator(".file-icon")).ToHaveTextAsync("PDF");
        var link = entry.GetByRole(AriaRole.Link, new() { Name = "report.pdf" });
        await Expect(link).ToHaveAttributeAsync("download", "report.pdf");

        var response = await ann.Page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
        Assert.Equal("application/pdf", response.Headers["content-type"]);
        Assert.StartsWith("attachment", response.Headers["content-disposition"]);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);
        Assert.Equal(Pdf, await response.BodyAsync());
        var widths = await ann.DocumentWidthsAsync();
        Assert.Equal(widths[1], widths[0]);
    }

    [Fact]
    public async Task AFileDroppedWhileOfflineWaitsAndIsSentOnceWhenTheChatIsBack()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await server.StopAsync();
        await Expect(ann.Page.Locator("body[data-connection=closed]")).ToBeAttachedAsync();
        var transfer = await ann.Page.EvaluateHandleAsync("""
            () => {
              const transfer = new DataTransfer();
              transfer.items.add(new File(['written offline'], 'offline.txt', { type: 'text/plain' }));
              return transfer;
            }
            """);
        await ann.Log.DispatchEventAsync("drop", new { dataTransfer = transfer });
        await Expect(ann.Log.Locator(".upload[data-upload=pending]")).ToContainTextAsync("offline.txt");
        await Expect(ann.Log.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);

        await server.StartAgainAsync();
        await ann.WaitConnectedAsync();
        await Expect(ann.Log.GetByRole(AriaRole.Link, new() { Name = "offline.txt" })).ToHaveCountAsync(1);
        await Expect(ann.Log.Locator(".upload")).ToHaveCountAsync(0);
        await ann.SendAsync("after the file");
        await ann.ExpectOneAsync("after the file");
        var events = await server.Client(await server.SignInAsync("bob")).MessagesAsync("?since=0");
        Assert.Single(events, e => e.Text("type") == "file" && e.Text("name") == "offline.txt");
    }
}
