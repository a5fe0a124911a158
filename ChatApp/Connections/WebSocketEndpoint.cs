using ChatApp.Chat;

namespace ChatApp.Connections;

/// <summary><c>GET /ws</c>: signed-in, same-site (or allowed) WebSocket clients join the room (PROTOCOL.md §2).</summary>
public static class WebSocketEndpoint
{
    /// <summary>
    /// Branches off at the very start of the pipeline: an open socket lives for hours, and everything
    /// above it in the pipeline (authentication, authorization, routing, a DI scope) would stay allocated
    /// with it. It signs the request in itself, from the same token sources as every other endpoint.
    /// Most sockets never get here: <see cref="DirectWebSockets"/> takes plain upgrades before Kestrel's HTTP layer,
    /// and leaves this endpoint every other request, its refusals included.
    /// </summary>
    public static WebApplication UseWebSocketChat(this WebApplication app)
    {
        var chat = app.Services.GetRequiredService<WebSocketChat>();
        app.Map("/ws", branch => branch.Run(async http =>
        {
            var (user, refusal) = await chat.AdmitAsync(http.Request, http.RequestAborted);
            if (refusal is not null)
            {
                await ApiError.WriteAsync(http, refusal.Status, refusal.Code, refusal.Message);
                return;
            }
            if (!WebSocketHandshake.IsUpgrade(http))
            {
                await ApiError.WriteAsync(http, StatusCodes.Status400BadRequest, "websocket_expected", "This endpoint takes WebSocket requests only.");
                return;
            }
            await chat.ServeAsync(new HttpSocketUpgrade(http), user!, WebSocketChat.Since(http.Request.Query));
        }));
        return app;
    }
}
