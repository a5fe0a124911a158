using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Pages;

/// <summary>
/// scroll.js follows new entries once a frame (it used to measure and scroll the log for each): a reader at the
/// bottom stays there, also when the oldest entries are trimmed in the same frame, and a reader who scrolls up before
/// the frame ends is left where they are, unless the entry is their own.
/// </summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class StickyScrollScriptTests(BrowserFixture browser)
{
    [Fact]
    public async Task NewEntriesAreFollowedOnlyByAReaderWhoStayedAtTheBottom()
    {
        await using var server = await ChatServer.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        context.SetDefaultTimeout(BrowserFixture.TimeoutMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/css/uploads.css"); // a script-free document of the server's origin
        var json = await page.EvaluateAsync<string>("""
            async () => {
              const { StickyScroll } = await import('/js/scroll.js');
              const frames = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 20))));
              const entry = text => { const e = document.createElement('div'); e.style.height = '40px'; e.textContent = text; return e; };
              const make = () => {
                const log = document.createElement('div');
                log.style.cssText = 'height: 200px; overflow-y: auto';
                for (let i = 0; i < 50; i++) log.append(entry(`old ${i}`));
                const marker = document.createElement('button');
                marker.hidden = true;
                document.body.replaceChildren(log, marker);
                return { log, marker, scroll: new StickyScroll(log, marker) };
              };
              const atBottom = log => log.scrollHeight - log.scrollTop - log.clientHeight <= 1;
              const results = {};

              // At the bottom; a storm's entries arrive, and the oldest are trimmed in the same frame.
              let { log, marker, scroll } = make();
              scroll.toBottom(); await frames();
              for (let i = 0; i < 20; i++) { scroll.add(() => log.append(entry(`new ${i}`))); log.firstElementChild.remove(); }
              await frames();
              results.trimmedFollowed = atBottom(log) && marker.hidden;

              // At the bottom; an entry arrives, and the reader scrolls up before the next paint.
              ({ log, marker, scroll } = make());
              scroll.toBottom(); await frames();
              scroll.add(() => log.append(entry('while scrolling')));
              log.scrollTop = 100;
              await frames();
              results.scrolledUpTop = log.scrollTop;

              // Scrolled up: another's entry raises the marker and leaves the view; the reader's own is followed.
              ({ log, marker, scroll } = make());
              log.scrollTop = 0; await frames();
              scroll.add(() => log.append(entry('from someone')));
              await frames();
              results.othersTop = log.scrollTop;
              results.markerShown = !marker.hidden;
              scroll.add(() => log.append(entry('my own')), { own: true });
              await frames();
              results.ownFollowed = atBottom(log) && marker.hidden;
              return JSON.stringify(results);
            }
            """);
        var results = JsonDocument.Parse(json).RootElement;
        Assert.True(results.GetProperty("trimmedFollowed").GetBoolean(), json);
        Assert.Equal(100, results.GetProperty("scrolledUpTop").GetDouble());
        Assert.Equal(0, results.GetProperty("othersTop").GetDouble());
        Assert.True(results.GetProperty("markerShown").GetBoolean(), json);
        Assert.True(results.GetProperty("ownFollowed").GetBoolean(), json);
    }
}
