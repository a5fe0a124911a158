namespace ChatApp.Chat;

public static class ChatExtensions
{
    public static IServiceCollection AddChatRoom(this IServiceCollection services)
    {
        services.AddSingleton<MessageRenderer>();
        services.AddSingleton<DraftBuilder>();
        services.AddSingleton<ChatRoom>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatRoom>());
        return services;
    }
}
