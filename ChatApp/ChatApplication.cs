using ChatApp.Accounts;
using ChatApp.Api;
using ChatApp.Chat;
using ChatApp.Connections;
using ChatApp.Diagnostics;
using ChatApp.Files;
using ChatApp.Profiles;
using ChatApp.Storage;

namespace ChatApp;

/// <summary>The whole server, one line per concern. Tests build the same application.</summary>
public static class ChatApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json and wwwroot/ are linked into the build output from the repository root.
            ContentRootPath = AppContext.BaseDirectory,
            // Razor Pages are found in the application's assembly; under a test host the entry assembly is another one.
            ApplicationName = typeof(ChatApplication).Assembly.GetName().Name,
        });
        builder.Services.Configure<ChatOptions>(builder.Configuration.GetSection(ChatOptions.Section));
        var options = builder.Configuration.GetSection(ChatOptions.Section).Get<ChatOptions>() ?? new ChatOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDiagnostics();              // counters (meter ChatApp) for dotnet-counters and /metrics
        builder.Services.AddStorage();                  // SQLite: schema, batched event writes, history reads
        builder.Services.AddAccounts(options);          // names, sessions, cookie and token sign-in
        builder.Services.AddChatRoom();                 // the room actor, rendering, origin policy
        builder.Services.AddFiles();                    // shared files on disk
        builder.Services.AddRazorPages();               // the chat page
        builder.Services.AddMessagesApi();              // long-poll bookkeeping for /api/messages
        builder.Services.AddTrustedProxies(options);    // X-Forwarded-For only from Chat:TrustedProxies / TrustedNetworks

        var app = builder.Build();
        app.UpgradeStorage();                           // the database at the current schema before anything reads it
        app.UseWebSocketChat();                         // /ws, first: an open socket keeps no middleware above it
        app.UseForwardedHeaders();                      // the client's address, before anything reads it
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSessions();                              // /api/session, /api/account/password
        app.MapFiles();                                 // /files/{id}
        app.MapMessagesApi();                           // /api/roster, /api/messages
        app.MapHealth();                                // /healthz
        app.MapMetrics();                               // /metrics (Prometheus)
        app.MapRazorPages();                            // /, /profile/{user}
        return app;
    }
}
