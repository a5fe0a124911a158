using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Connections;
using ChatApp.Files;
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
        });
        builder.Services.Configure<ChatOptions>(builder.Configuration.GetSection(ChatOptions.Section));
        var options = builder.Configuration.GetSection(ChatOptions.Section).Get<ChatOptions>() ?? new ChatOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStorage();                  // SQLite: schema, batched event writes, history reads
        builder.Services.AddAccounts(options);          // names, sessions, cookie and token sign-in
        builder.Services.AddChatRoom();                 // the room actor, rendering, origin policy
        builder.Services.AddFiles();                    // shared files on disk
        builder.Services.AddRazorPages();               // the chat page

        var app = builder.Build();
        app.UpgradeStorage();                           // the database at the current schema before anything reads it
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSessions();                              // /api/session, /api/account/password
        app.MapWebSocketChat();                         // /ws
        app.MapFiles();                                 // /files/{id}
        app.MapRazorPages();                            // /
        return app;
    }
}
