using Microsoft.Playwright;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// Stands between a page and the server's /ws (Playwright's WebSocket routing): passes every frame through,
/// optionally rewriting the server's text frames, and can cut the connection and refuse new ones, as a network
/// that went away, without stopping the server for everyone else.
/// </summary>
public sealed class ConnectionSwitch(Func<string, string>? fromServer)
{
    private readonly object _gate = new();
    private (IWebSocketRoute Page, IWebSocketRoute Server)? _current;
    private bool _cut;

    public void Handle(IWebSocketRoute page)
    {
        lock (_gate)
        {
            if (_cut) { _ = page.CloseAsync(); return; }
        }
        var server = page.ConnectToServer();
        lock (_gate) _current = (page, server);
        server.OnMessage(frame =>
        {
            if (frame.Text is { } text) page.Send(fromServer is null ? text : fromServer(text));
            else page.Send(frame.Binary!);
        });
        page.OnMessage(frame =>
        {
            if (frame.Text is { } text) server.Send(text);
            else server.Send(frame.Binary!);
        });
    }

    /// <summary>Drops the open connection; reconnects are refused until <see cref="Restore"/>.</summary>
    public async Task CutAsync()
    {
        (IWebSocketRoute Page, IWebSocketRoute Server)? current;
        lock (_gate) { _cut = true; current = _current; _current = null; }
        if (current is { } both)
        {
            await both.Server.CloseAsync();
            await both.Page.CloseAsync();
        }
    }

    public void Restore()
    {
        lock (_gate) _cut = false;
    }
}
