using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Files;

/// <summary>File sharing through the real chat page: a real drop event on the log of one person's page, seen in another's.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FileDropBrowserTests(BrowserFixture browser)
{
    /// <summary>A DataTransfer, built in the page, holding a 16×16 PNG and a text file: what dragging them from the desktop gives.</summary>
    private const string MakeTransfer = """
        () => {
          const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGO4YGBAEmIY1TCqYfhqAAA+XjAQexaBIwAAAABJRU5ErkJggg=='), c => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([png], 'dot.png', { type: 'image/png' }));
          transfer.items.add(new File(['hello from ann'], 'notes.txt', { type: 'text/plain' }));
          return transfer;
        }
        """;

    [Fact]
    public async Task FilesDroppedOnTheLogShowAsALoadedImageAndADownloadLinkInTheOtherPersonsPage()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");
        await using var bob = await browser.NewPersonAsync(server);
        await bob.JoinAsync("bob");

        var transfer = await ann.Page.EvaluateHandleAsync(MakeTransfer);
        await ann.Log.DispatchEventAsync("dragenter", new { dataTransfer = transfer });
        await ann.Log.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await Expect(ann.Log).ToHaveClassAsync(new Regex("drop-target"));
        await ann.Log.DispatchEventAsync("drop", new { dataTransfer = transfer });
        await Expect(ann.Log).Not.ToHaveClassAsync(new Regex("drop-target"));

        var image = bob.Log.GetByRole(AriaRole.Img, new() { Name = "dot.png" });
        await Expect(image).ToBeVisibleAsync();
        await bob.Page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
        var link = bob.Log.GetByRole(AriaRole.Link, new() { Name = "notes.txt" });
        await Expect(link).ToHaveAttributeAsync("download", "notes.txt");
        // The link serves the very bytes, to bob's signed-in browser.
        var download = await bob.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal("notes.txt", download.SuggestedFilename);
        Assert.Equal("hello from ann", await File.ReadAllTextAsync((await download.PathAsync())!));
        // The sender's own page shows what it shared too.
        await Expect(ann.Log.GetByRole(AriaRole.Img, new() { Name = "dot.png" })).ToBeVisibleAsync();
        await Expect(ann.Log.GetByRole(AriaRole.Link, new() { Name = "notes.txt" })).ToBeVisibleAsync();
    }
}
