using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary><c>GET /ws</c>: signed-in, same-site (or allowed) WebSocket clients join the room (PROTOCOL.md §2).</summary>
public static class WebSocketEndpoint
{
    /// <summary>
    /// Branches off at the very start of the pipeline: an open socket lives for hours, and everything
    /// above it in the pipeline (authentication, authorization, routing, a DI scope) would stay allocated
    /// with it. It signs the request in itself, from the same token sources as every other endpoint.
    /// </summary>
    public static WebApplication UseWebSocketChat(this WebApplication app)
    {
        var services = app.Services;
        var room = services.GetRequiredService<ChatRoom>();
        var drafts = services.GetRequiredService<DraftBuilder>();
        var origins = services.GetRequiredService<OriginPolicy>();
        var options = services.GetRequiredService<IOptions<ChatOptions>>();
        var accounts = services.GetRequiredService<AccountStore>();
        var cookie = services.GetRequiredService<SessionCookie>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger<WebSocketConnection>();
        var files = services.GetRequiredService<ChatApp.Files.FileStore>();
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var metrics = services.GetRequiredService<ChatMetrics>();

        app.Map("/ws", branch => branch.Run(async http =>
        {
            if (await accounts.AuthenticateAsync(SessionTokens.Find(http.Request, cookie), http.RequestAborted) is not { } user)
            {
                await ApiError.WriteAsync(http, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first (session cookie, bearer token or access_token).");
                return;
            }
            if (!origins.Allows(http.Request))
            {
                await ApiError.WriteAsync(http, StatusCodes.Status403Forbidden, "forbidden_origin", "Pages of other sites may not open this socket.");
                return;
            }
            if (!WebSocketHandshake.IsUpgrade(http))
            {
                await ApiError.WriteAsync(http, StatusCodes.Status400BadRequest, "websocket_expected", "This endpoint takes WebSocket requests only.");
                return;
            }
            long? since = long.TryParse(http.Request.Query["since"], out var s) && s >= 0 ? s : null;
            var connection = new WebSocketConnection(http, user, room, drafts, options, log, files, stopping, metrics: metrics);
            metrics.ConnectionOpened();
            try { await connection.RunAsync(since); }
            finally { metrics.ConnectionClosed(); }
            // "Last seen" on the profile page is when the user's connection closed, not when it opened.
            await accounts.MarkSeenAsync(user.Name);
        }));
        return app;
    }
}
