using ChatApp.Accounts;
using ChatApp.Connections;

namespace ChatApp.Stomp;

/// <summary><c>GET /stomp</c>: STOMP 1.0–1.2 over WebSocket, for unmodified stomp.js clients (PROTOCOL.md §4).</summary>
public static class StompEndpoint
{
    public static IServiceCollection AddStomp(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StompOptions>(configuration.GetSection(StompOptions.Section));
        services.AddSingleton<StompServices>();
        return services;
    }

    /// <summary>Like <c>/ws</c>, a branch of its own: an open socket keeps nothing of the pipeline above it. Signing in happens at CONNECT.</summary>
    public static WebApplication UseStompChat(this WebApplication app)
    {
        var services = app.Services.GetRequiredService<StompServices>();
        var origins = app.Services.GetRequiredService<OriginPolicy>();
        var cookie = app.Services.GetRequiredService<SessionCookie>();
        var metrics = app.Services.GetRequiredService<ChatApp.Diagnostics.ChatMetrics>();
        app.Map("/stomp", branch => branch.Run(async http =>
        {
            if (!origins.Allows(http.Request))
            {
                await RefuseAsync(http, StatusCodes.Status403Forbidden, "forbidden_origin");
                return;
            }
            if (!WebSocketHandshake.IsUpgrade(http))
            {
                await RefuseAsync(http, StatusCodes.Status400BadRequest, "websocket_expected");
                return;
            }
            var subProtocol = WebSocketHandshake.SelectSubProtocol(http, StompVersions.SubProtocols);
            var signedIn = await services.Accounts.AuthenticateAsync(SessionTokens.Find(http.Request, cookie), http.RequestAborted);
            metrics.ConnectionOpened();
            try { await new StompConnection(http, services, subProtocol, signedIn).RunAsync(subProtocol); }
            finally { metrics.ConnectionClosed(); }
        }));
        return app;
    }

    private static Task RefuseAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error });
    }
}
