using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Files;

/// <summary>
/// wwwroot/js/uploads.js on its own, served by the real server, in a real Chromium: a bare page with the
/// three controls it needs (named as in UI.md) and a <c>sendFile</c> that records what it is asked to send.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UploadsScriptTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Harness = """
        <!doctype html>
        <div role="log" aria-label="Messages" id="log" style="height:300px"></div>
        <textarea aria-label="Message" id="box"></textarea>
        <button type="button" id="attach">Attach file</button>
        <script type="module">
          import { initUploads } from '/js/uploads.js';
          window.sent = [];
          initUploads({
            log: document.getElementById('log'),
            attachButton: document.getElementById('attach'),
            messageBox: document.getElementById('box'),
            recipient: () => window.recipient,
            sendFile(file, { to, clientId, onProgress }) {
              window.sent.push({ name: file.name, type: file.type, size: file.size, to: to ?? null, clientId });
              if (window.failWith) return Promise.reject(Object.assign(new Error(window.failWith.message), { code: window.failWith.code }));
              if (window.hold) return new Promise(resolve => { onProgress(file.size / 2, file.size); window.release = resolve; });
              return Promise.resolve({});
            },
          });
          document.body.dataset.ready = 'true';
        </script>
        """;

    private ChatServer _server = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    private ILocator Log => _page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
    private ILocator MessageBox => _page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });
    private ILocator AttachButton => _page.GetByRole(AriaRole.Button, new() { Name = "Attach file", Exact = true });

    public async Task InitializeAsync()
    {
        _server = await ChatServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new() { BaseURL = _server.BaseAddress.ToString() });
        _context.SetDefaultTimeout(BrowserFixture.TimeoutMs);
        _page = await _context.NewPageAsync();
        // A script-free document of the server's origin, so the module loads same-origin; then the harness replaces it.
        await _page.GotoAsync("/css/uploads.css");
        await _page.SetContentAsync(Harness);
        await Expect(_page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _server.DisposeAsync();
    }

    private async Task<JsonElement[]> SentAsync(int count)
    {
        await _page.WaitForFunctionAsync($"window.sent.length >= {count}");
        return JsonSerializer.Deserialize<JsonElement[]>(await _page.EvaluateAsync<string>("JSON.stringify(window.sent)"))!;
    }

    /// <summary>Builds a DataTransfer holding a PNG and a text file in the page, for drag events.</summary>
    private const string MakeTransfer = """
        () => {
          const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), c => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([png], 'dot.png', { type: 'image/png' }));
          transfer.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
          return transfer;
        }
        """;

    [Fact]
    public async Task DroppingFilesOnTheLogSendsEachOneAndShowsADropTargetWhileDragging()
    {
        var transfer = await _page.EvaluateHandleAsync(MakeTransfer);

        await Log.DispatchEventAsync("dragenter", new { dataTransfer = transfer });
        await Log.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await Expect(Log).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-target"));
        await Log.DispatchEventAsync("drop", new { dataTransfer = transfer });

        var sent = await SentAsync(2);
        Assert.Equal(["dot.png", "notes.txt"], sent.Select(s => s.GetProperty("name").GetString()));
        Assert.All(sent, s => Assert.False(string.IsNullOrEmpty(s.GetProperty("clientId").GetString())));
        await Expect(Log).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-target"));
    }

    [Fact]
    public async Task DraggingAwayFromTheLogRemovesTheDropTarget()
    {
        var transfer = await _page.EvaluateHandleAsync(MakeTransfer);

        await Log.DispatchEventAsync("dragenter", new { dataTransfer = transfer });
        await Expect(Log).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-target"));
        await Log.DispatchEventAsync("dragleave", new { dataTransfer = transfer });

        await Expect(Log).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("drop-target"));
    }

    [Fact]
    public async Task TheAttachFileButtonOpensAPickerForSeveralFiles()
    {
        var chooser = await _page.RunAndWaitForFileChooserAsync(() => AttachButton.ClickAsync());
        Assert.True(chooser.IsMultiple);
        await chooser.SetFilesAsync(new[]
        {
            new FilePayload { Name = "a.txt", MimeType = "text/plain", Buffer = "aaa"u8.ToArray() },
            new FilePayload { Name = "b.png", MimeType = "image/png", Buffer = FileSharing.Png },
        });

        var sent = await SentAsync(2);
        Assert.Equal(["a.txt", "b.png"], sent.Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task PastingAnImageIntoTheMessageBoxSendsItAndPastingTextDoesNot()
    {
        await _page.EvaluateAsync("window.recipient = 'bob'");
        await MessageBox.EvaluateAsync("""
            box => {
              const text = new DataTransfer();
              text.setData('text/plain', 'just words');
              box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: text, bubbles: true, cancelable: true }));
              const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), c => c.charCodeAt(0));
              const image = new DataTransfer();
              image.items.add(new File([png], 'image.png', { type: 'image/png' }));
              box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: image, bubbles: true, cancelable: true }));
            }
            """);

        var sent = Assert.Single(await SentAsync(1));
        Assert.Equal("image/png", sent.GetProperty("type").GetString());
        Assert.EndsWith(".png", sent.GetProperty("name").GetString());
        Assert.Equal("bob", sent.GetProperty("to").GetString());
    }

    [Fact]
    public async Task ARefusedFileShowsItsErrorInTheLog()
    {
        await _page.EvaluateAsync("window.failWith = { code: 'too_large', message: 'The file is larger than 10 bytes.' }");
        var chooser = await _page.RunAndWaitForFileChooserAsync(() => AttachButton.ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "big.bin", MimeType = "application/octet-stream", Buffer = new byte[100] });

        var error = Log.GetByRole(AriaRole.Alert);
        await Expect(error).ToContainTextAsync("big.bin");
        await Expect(error).ToContainTextAsync("The file is larger than 10 bytes.");
        await error.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(error).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ALargeFileShowsAProgressBarUntilItIsSent()
    {
        await _page.EvaluateAsync("window.hold = true");
        var chooser = await _page.RunAndWaitForFileChooserAsync(() => AttachButton.ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "large.bin", MimeType = "application/octet-stream", Buffer = new byte[2 * 1024 * 1024] });

        var progress = Log.GetByRole(AriaRole.Progressbar);
        await Expect(progress).ToHaveAttributeAsync("max", (2 * 1024 * 1024).ToString());
        await _page.WaitForFunctionAsync("document.querySelector('progress').value === 1024 * 1024");
        await _page.EvaluateAsync("window.release({})");
        await Expect(progress).ToHaveCountAsync(0);
    }
}
