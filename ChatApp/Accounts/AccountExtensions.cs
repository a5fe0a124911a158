using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using ChatApp.Chat;

namespace ChatApp.Accounts;

public static class AccountExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, ChatOptions options)
    {
        // Keys beside the database: sessions and forms survive a restart.
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.DataPath, "keys")))
            .SetApplicationName("ChatApp");
        services.AddSingleton<SessionCookie>();
        services.AddSingleton<AccountStore>();
        services.AddHostedService(sp => sp.GetRequiredService<AccountStore>());
        services.AddAuthentication(ChatAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ChatAuthenticationHandler>(ChatAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        return services;
    }
}
