using System.Text.Json;
using ChatApp.Pages;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Pages;

/// <summary>
/// A file's size reads the same whether the server wrote it (<see cref="FileDisplay.Size"/>, the page and the
/// no-script page) or the browser did (render.js <c>formatSize</c>, live events): one rule, checked in both places.
/// </summary>
[Collection(WritingBrowserCollection.Name)]
public sealed class FileSizeScriptTests(BrowserFixture browser)
{
    private static readonly long[] Sizes =
    [
        0, 1, 1023, 1024, 1025, 1536, 10_240, 1_048_575, 1_048_576, 1_572_864, 5_452_595, 26_214_400,
        1_073_741_823, 1_073_741_824, 1_610_612_736, 5L * 1024 * 1024 * 1024 + 1,
    ];

    [Fact]
    public async Task TheBrowserWritesEveryFileSizeAsTheServerDoes()
    {
        await using var server = await ChatServer.StartAsync();
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        try
        {
            context.SetDefaultTimeout(BrowserFixture.TimeoutMs);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/css/uploads.css"); // a script-free document of the server's origin
            var written = await page.EvaluateAsync<string>(
                "async sizes => { const { formatSize } = await import('/js/render.js'); return JSON.stringify(sizes.map(s => formatSize(s))); }",
                Sizes);
            Assert.Equal(Sizes.Select(FileDisplay.Size), JsonSerializer.Deserialize<string[]>(written)!);
        }
        finally
        {
            await context.DisposeAsync();
        }
    }
}
