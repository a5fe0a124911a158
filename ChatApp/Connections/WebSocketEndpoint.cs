using ChatApp.Accounts;
using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary><c>GET /ws</c>: signed-in, same-site (or allowed) WebSocket clients join the room (PROTOCOL.md §2).</summary>
public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapWebSocketChat(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ws", async (HttpContext http, ChatRoom room, DraftBuilder drafts, OriginPolicy origins,
            IOptions<ChatOptions> options, ILoggerFactory logs, AccountStore accounts) =>
        {
            if (http.ChatUser() is not { } user)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await http.Response.WriteAsJsonAsync(new { error = "unauthorized" });
                return;
            }
            if (!origins.Allows(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await http.Response.WriteAsJsonAsync(new { error = "forbidden_origin" });
                return;
            }
            if (!WebSocketHandshake.IsUpgrade(http))
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsJsonAsync(new { error = "websocket_expected" });
                return;
            }
            long? since = long.TryParse(http.Request.Query["since"], out var s) && s >= 0 ? s : null;
            var connection = new WebSocketConnection(http, user, room, drafts, options, logs.CreateLogger<WebSocketConnection>());
            await connection.RunAsync(since);
            // "Last seen" on the profile page is when the user's connection closed, not when it opened.
            if (accounts.Find(user.Name) is { } account) accounts.MarkSeen(account);
        });
        return app;
    }
}
