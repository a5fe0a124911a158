using ChatApp.Accounts;
using ChatApp.Api;
using ChatApp.Chat;
using ChatApp.Connections;
using ChatApp.Diagnostics;
using ChatApp.Files;
using ChatApp.Profiles;
using ChatApp.Scaleout;
using ChatApp.Search;
using ChatApp.Stomp;
using ChatApp.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.FileProviders;

namespace ChatApp;

/// <summary>The whole server, one line per concern. Tests build the same application.</summary>
public static class ChatApplication
{
    /// <param name="configureServices">Runs after the app's own registrations, so tests can replace one (a fake clock).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
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
        // No body is larger than a message's unless its endpoint says so (Limits); Kestrel refuses the rest unread.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = Limits.MessageBodyBytes(options);
            if (options.DirectWebSockets) kestrel.UseDirectWebSockets(); // plain /ws upgrades skip the HTTP layer: lighter idle sockets
        });
        // A socket's send buffer in the process (each connection's own copy of what it has not sent yet) is bounded
        // lower than Kestrel's 64 KiB: a backlog waits in the connection's outbox instead, as references to frames
        // that every receiver shares. At overload this keeps the pinned heap at a third of its size.
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = options.SocketWriteBufferBytes);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDiagnostics();              // counters (meter ChatApp) for dotnet-counters and /metrics
        builder.Services.AddStorage();                  // SQLite: schema, batched event writes, history reads
        builder.Services.AddAccounts(options);          // names, sessions, cookie and token sign-in, sign-in limits
        builder.Services.AddChatRoom();                 // the room actor, rendering
        builder.Services.AddScaleout(builder.Configuration); // Chat:Redis: several nodes as one chat (shared log, presence, accounts, keys)
        builder.Services.AddSocketEndpoints();          // the socket endpoints' origin policy
        builder.Services.AddFiles();                    // shared files on disk
        builder.Services.AddRazorPages(pages =>         // the chat page; its form posts up to a message's worth
            pages.Conventions.AddFolderApplicationModelConvention("/", page =>
                page.EndpointMetadata.Add(new RequestSizeLimitAttribute(Limits.FormBodyBytes(options)))));
        builder.Services.AddMessagesApi();              // long-poll bookkeeping for /api/messages
        builder.Services.AddSearch();                   // full-text search over the archive
        builder.Services.AddTrustedProxies(options);    // X-Forwarded-* only from Chat:TrustedProxies / TrustedNetworks
        builder.Services.AddStomp(builder.Configuration); // STOMP over WebSocket (Chat:Stomp settings)
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // wwwroot/ changes only with a new build: the files a version is asked for (asp-append-version) are checked by
        // their timestamps every few seconds, instead of by an inotify watcher per server (a limited resource:
        // 128 per user by default, which many servers on one machine, or a test run, use up).
        if (Directory.Exists(app.Environment.WebRootPath))
        {
            var webRoot = new PhysicalFileProvider(app.Environment.WebRootPath) { UsePollingFileWatcher = true, UseActivePolling = true };
            app.Environment.WebRootFileProvider = webRoot;
            app.Lifetime.ApplicationStopped.Register(webRoot.Dispose);
        }

        app.UpgradeStorage();                           // the database at the current schema before anything reads it
        app.UseForwardedHeaders();                      // the client's address, scheme and host, before anything reads them
        app.UseStorageOutageAnswers();                  // storage unreachable (database locked or full, Redis down): 503, not 500
        app.UseWebSocketChat();                         // /ws, before the rest: an open socket keeps no middleware above it
        app.UseStompChat();                             // /stomp: the same room for stomp.js clients, likewise
        app.UseCrossSiteRequestGuard();                 // cookie-signed API changes only from this site's pages
        app.UseRateLimiter();                           // name claims and sign-ins per address
        app.UsePageBodyLimit();                         // forms over their cap: 413 before anything reads them
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSessions();                              // /api/session, /api/account/password
        app.MapFiles();                                 // /files/{id}
        app.MapMessagesApi();                           // /api/roster, /api/messages
        app.MapSearch();                                // /api/search
        app.MapHealth();                                // /healthz
        app.MapMetrics();                               // /metrics (Prometheus)
        app.MapRazorPages();                            // /, /profile/{user}
        return app;
    }
}
