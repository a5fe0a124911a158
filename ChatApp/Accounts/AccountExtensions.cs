using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.RateLimiting;
using ChatApp.Chat;
using ChatApp.Profiles;

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
        services.AddSingleton<IPasswordBackoff, PasswordBackoff>(); // Chat:Redis: shared by every node (AddScaleout)
        services.AddSingleton<IWindowCounter, DefaultWindowCounter>(); // sign-ins per address, profile visits; likewise
        services.AddSingleton<ProfileVisitThrottle>();
        services.AddSingleton<IAccountDirectory, DefaultAccountDirectory>(); // Chat:Redis shares accounts instead (AddScaleout)
        services.AddSingleton<AccountStore>();
        services.AddHostedService(sp => sp.GetRequiredService<AccountStore>());
        services.AddAuthentication(ChatAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ChatAuthenticationHandler>(ChatAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSingleton<SignInRateLimit>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<SignInRateLimit>((limiter, signIns) => signIns.Configure(limiter));
        return services;
    }
}
