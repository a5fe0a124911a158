using ChatApp.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Files;

/// <summary>render.js, the live twin of the server's MessageList component, run in the real page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FileRenderingBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task FileEventsShowRasterImagesInlineAndOtherFilesAsDownloadLinks()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await browser.NewPersonAsync(server);
        await ann.JoinAsync("ann");

        await ann.Page.EvaluateAsync("""
            async () => {
              const { renderEvent } = await import('/js/render.js');
              const log = document.getElementById('messages');
              const ts = '2026-11-22T10:00:00.123Z';
              log.append(renderEvent({ type: 'file', id: 9001, ts, from: 'bob', name: 'cat.png', contentType: 'image/png', size: 5120, url: '/files/9001', binary: true }, 'ann'));
              log.append(renderEvent({ type: 'file', id: 9002, ts, from: 'bob', name: 'notes <b>.txt', contentType: 'text/plain', size: 2048, url: '/files/9002', binary: false }, 'ann'));
              log.append(renderEvent({ type: 'file', id: 9003, ts, from: 'ann', to: 'bob', name: 'logo.svg', contentType: 'image/svg+xml', size: 10, url: '/files/9003', binary: false }, 'ann'));
            }
            """);

        var image = ann.Log.Locator("[data-id='9001'] img");
        await Expect(image).ToHaveAttributeAsync("alt", "cat.png");
        await Expect(image).ToHaveAttributeAsync("src", "/files/9001");

        var link = ann.Log.Locator("[data-id='9002'] a[download]");
        await Expect(link).ToHaveTextAsync("notes <b>.txt");
        await Expect(link).ToHaveAttributeAsync("download", "notes <b>.txt");
        await Expect(ann.Log.Locator("[data-id='9002'] .size")).ToHaveTextAsync("2 KB");
        await Expect(ann.Log.Locator("[data-id='9002'] .file-icon")).ToHaveTextAsync("TXT");

        var vector = ann.Log.Locator("[data-id='9003']");
        await Expect(vector.Locator("img")).ToHaveCountAsync(0);
        await Expect(vector.Locator("a[download]")).ToHaveTextAsync("logo.svg");
        await Expect(vector.Locator(".file-icon")).ToHaveTextAsync("SVG");
        await Expect(vector).ToHaveAttributeAsync("data-private", "true");
        await Expect(vector.Locator(".private-tag")).ToHaveTextAsync("private to bob");
    }
}
