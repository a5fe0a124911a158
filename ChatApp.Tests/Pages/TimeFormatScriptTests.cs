using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Pages;

/// <summary>
/// render.js formats times with formatters made once (a join notice's time was most of its cost in a storm); they
/// write what the browser's own <c>toLocaleTimeString</c> and <c>toLocaleString</c> write, in the browser's locale.
/// </summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class TimeFormatScriptTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("en-US", "America/New_York")]
    [InlineData("de-DE", "Europe/Berlin")]
    [InlineData("ja-JP", "Asia/Tokyo")]
    public async Task TimesReadAsTheBrowsersOwnFormatsWriteThem(string locale, string timeZone)
    {
        await using var server = await ChatServer.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), Locale = locale, TimezoneId = timeZone });
        context.SetDefaultTimeout(BrowserFixture.TimeoutMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/css/uploads.css"); // a script-free document of the server's origin
        var mismatches = await page.EvaluateAsync<string[]>("""
            async isos => {
              const { shortTime, fullTime } = await import('/js/render.js');
              const wrong = [];
              for (const iso of isos) {
                const date = new Date(iso);
                const short = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
                if (shortTime(iso) !== short) wrong.push(`${iso}: ${shortTime(iso)} against ${short}`);
                if (fullTime(date) !== date.toLocaleString()) wrong.push(`${iso}: ${fullTime(date)} against ${date.toLocaleString()}`);
              }
              return wrong;
            }
            """, new[] { "2026-11-30T00:05:09.000Z", "2026-06-15T13:45:59.999Z", "2026-12-31T23:59:00Z", "2027-03-28T01:30:00Z" });
        Assert.Empty(mismatches);
    }
}
