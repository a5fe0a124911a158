namespace ChatApp.Pages;

public static class ChatPages
{
    /// <summary>The chat page: Razor Pages with antiforgery on every form (the keys live in Chat:DataDir, so forms survive a restart).</summary>
    public static IServiceCollection AddChatPages(this IServiceCollection services)
    {
        services.AddRazorPages();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "chat_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        return services;
    }
}
