using Microsoft.Playwright;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// One headless Chromium (Debian's, at /usr/bin/chromium) for a whole test collection; every simulated person
/// gets a context of their own (own cookies), see <see cref="NewPersonAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>How long any page expectation may wait: auto-waiting, never fixed sleeps.</summary>
    public static readonly float TimeoutMs = (float)ChatServer.Timeout.TotalMilliseconds;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Timeout = TimeoutMs * 2,
        });
    }

    /// <summary>
    /// Debian's headless shell (package chromium-headless-shell) when it is installed, as Playwright itself prefers
    /// for headless runs: the same engine without the full browser's UI, much lighter on the CPU; else the full
    /// Chromium. CHATAPP_CHROMIUM names another.
    /// </summary>
    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("CHATAPP_CHROMIUM") is { Length: > 0 } chosen ? chosen
        : File.Exists("/usr/bin/chromium-headless-shell") ? "/usr/bin/chromium-headless-shell"
        : "/usr/bin/chromium";

    /// <summary>The two screens the page is tried on (issue 13): a desktop window and a phone.</summary>
    public static ViewportSize Desktop => new() { Width = 1280, Height = 800 };

    public static ViewportSize Phone => new() { Width = 390, Height = 844 };

    /// <summary>A screen by name, for theories: "desktop" or "phone".</summary>
    public static ViewportSize Screen(string name) => name == "phone" ? Phone : Desktop;

    /// <summary>A new person: a fresh browser context (no cookies) with one page open at the chat.</summary>
    /// <param name="prepare">runs on the new context before the page opens (init scripts, permissions)</param>
    /// <param name="viewport">the window size (default 1100×800)</param>
    /// <param name="dark">the system asks for the dark theme</param>
    /// <param name="timeZone">the person's time zone (IANA id), else the machine's</param>
    public async Task<ChatPage> NewPersonAsync(ChatServer server, bool javaScript = true, Func<IBrowserContext, Task>? prepare = null,
        ViewportSize? viewport = null, bool dark = false, string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = viewport ?? new ViewportSize { Width = 1100, Height = 800 },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            TimezoneId = timeZone,
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        if (prepare is not null) await prepare(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return new ChatPage(page, javaScript);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

// Three collections, three Chromiums: the tests of one collection run one after another, so a single one
// (8 minutes of pages) was the run's long tail; three of about equal length run beside the rest.

/// <summary>The browser tests outside Pages/ (joining, files, profiles, reconnects, STOMP).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>The page's writing side: the composer, failed sends, edits, mentions, layout, no-script forms.</summary>
[CollectionDefinition(Name)]
public sealed class WritingBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser: writing";
}

/// <summary>The page's reading side: history, scrollback, read marks, search, offline and presence.</summary>
[CollectionDefinition(Name)]
public sealed class ReadingBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser: reading";
}
