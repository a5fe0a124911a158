using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatApp.Tests.Infrastructure;

/// <summary>The chat page as a person uses it, found by the accessible names of /work/shared/UI.md.</summary>
public sealed class ChatPage(IPage page, bool scripted = true) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>False when the person's browser runs no JavaScript (the form-post page).</summary>
    public bool Scripted { get; } = scripted;

    public ILocator NameField => Page.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true });
    public ILocator JoinButton => Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });
    public ILocator MessageBox => Page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });
    public ILocator SendButton => Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
    public ILocator Log => Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
    public ILocator Online => Page.GetByRole(AriaRole.List, new() { Name = "Online", Exact = true });
    public ILocator ConnectionStatus => Page.Locator("#connection");
    public ILocator Alerts => Page.GetByRole(AriaRole.Alert);

    public ILocator OnlineUser(string name) => Online.GetByRole(AriaRole.Listitem, new() { Name = name, Exact = true });

    /// <summary>Stored entries of the log (with an id) whose text contains <paramref name="text"/>.</summary>
    public ILocator Entries(string text) => Log.Locator("[data-id]", new() { HasText = text });

    /// <summary>Joins as <paramref name="name"/> and, with JavaScript, waits until the live connection is open.</summary>
    public async Task JoinAsync(string name)
    {
        await NameField.FillAsync(name);
        await JoinButton.ClickAsync();
        await Expect(MessageBox).ToBeVisibleAsync();
        if (Scripted) await WaitConnectedAsync();
    }

    public Task WaitConnectedAsync() => Expect(Page.Locator("body[data-connection=open]")).ToBeAttachedAsync();

    /// <summary>Types and presses Enter, as a person would.</summary>
    public async Task SendAsync(string text)
    {
        await MessageBox.FillAsync(text);
        await MessageBox.PressAsync("Enter");
    }

    /// <summary>
    /// Without JavaScript: fills the box and clicks Send, and waits for the post's answer. The page reloads itself every
    /// few seconds: a reload between filling and clicking posts an empty box (refused as empty), and one that wins over
    /// the click posts nothing; either way it tries again. It waits for the post's response, not for the page's load
    /// event, which a self-reload racing the post once left waiting until the timeout.
    /// </summary>
    public async Task SendByFormAsync(string text)
    {
        for (var attempt = 1; ; attempt++)
        {
            await MessageBox.FillAsync(text);
            try
            {
                await Page.RunAndWaitForResponseAsync(() => SendButton.ClickAsync(),
                    response => response.Request.Method == "POST", new() { Timeout = (float)ChatServer.Timeout.TotalMilliseconds });
            }
            catch (TimeoutException) when (attempt < 3) { continue; }
            var refusal = await Page.Locator("#composer-error").TextContentAsync() ?? "";
            if (!refusal.Contains("empty") || attempt == 3) return;
        }
    }

    /// <summary>Waits until exactly one stored entry shows <paramref name="text"/>.</summary>
    public Task ExpectOneAsync(string text) => Expect(Entries(text)).ToHaveCountAsync(1);

    /// <summary>The page's horizontal overflow: (document scrollWidth, document clientWidth); equal when nothing widens the page.</summary>
    public Task<int[]> DocumentWidthsAsync() =>
        Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");

    /// <summary>Whether <paramref name="element"/> lies wholly inside the window.</summary>
    public async Task<bool> IsInsideViewportAsync(ILocator element)
    {
        var box = await element.BoundingBoxAsync() ?? throw new InvalidOperationException("the element is not shown");
        var size = Page.ViewportSize!;
        return box.X >= 0 && box.Y >= 0 && box.X + box.Width <= size.Width + 0.5 && box.Y + box.Height <= size.Height + 0.5;
    }

    /// <summary>Saves a PNG of the page when CHAT_UI_SHOTS names a directory (for people to look at; nothing asserts on it).</summary>
    public async Task ShootAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("CHAT_UI_SHOTS") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png") });
    }

    /// <summary>The connection to /ws through a switch: <see cref="ConnectionSwitch.CutAsync"/> drops it and refuses reconnects until <see cref="ConnectionSwitch.Restore"/>.</summary>
    public async Task<ConnectionSwitch> RouteSocketAsync(Func<string, string>? fromServer = null)
    {
        var connection = new ConnectionSwitch(fromServer);
        await Page.RouteWebSocketAsync(new Regex("/ws"), connection.Handle);
        return connection;
    }

    public static Regex Exactly(string text) => new($"^{Regex.Escape(text)}$");

    public async ValueTask DisposeAsync() => await Page.Context.CloseAsync();
}
