using ChatApp.Chat;
using ChatApp.Connections;
using ChatApp.Profiles;

namespace ChatApp.Stomp;

/// <summary>
/// <c>GET /stomp</c>: STOMP 1.0–1.2 over WebSocket, for unmodified stomp.js clients (PROTOCOL.md §4). Like <c>/ws</c>, a
/// plain upgrade is taken below Kestrel's HTTP layer (<see cref="DirectWebSockets"/>); anything else reaches this endpoint.
/// Both go through <see cref="StompChat"/>: one rule for who may open the socket, one life once open.
/// </summary>
public static class StompEndpoint
{
    public static IServiceCollection AddStomp(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StompOptions>(configuration.GetSection(StompOptions.Section));
        services.AddSingleton<StompServices>();
        services.AddSingleton<StompChat>();
        return services;
    }

    /// <summary>A branch of its own: an open socket keeps nothing of the pipeline above it. Signing in happens at CONNECT.</summary>
    public static WebApplication UseStompChat(this WebApplication app)
    {
        var stomp = app.Services.GetRequiredService<StompChat>();
        app.Map("/stomp", branch => branch.Run(async http =>
        {
            if (stomp.Refusal(http.Request) is { } refusal)
            {
                await ApiError.WriteAsync(http, refusal.Status, refusal.Code, refusal.Message);
                return;
            }
            if (!WebSocketHandshake.IsUpgrade(http))
            {
                await ApiError.WriteAsync(http, StatusCodes.Status400BadRequest, "websocket_expected", "This endpoint takes WebSocket requests only.");
                return;
            }
            var subProtocol = WebSocketHandshake.SelectSubProtocol(http, StompVersions.SubProtocols);
            var signedIn = await stomp.SignedInAsync(http.Request, http.RequestAborted);
            await stomp.ServeAsync(new HttpSocketUpgrade(http, subProtocol), subProtocol, signedIn, http.Connection.Id, VisitorAddress.Of(http));
        }));
        return app;
    }
}
