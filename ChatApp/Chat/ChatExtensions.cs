namespace ChatApp.Chat;

public static class ChatExtensions
{
    public static IServiceCollection AddChatRoom(this IServiceCollection services)
    {
        services.AddSingleton<MessageRenderer>();
        services.AddSingleton<DraftBuilder>();
        // The room's log and presence in this one process; Chat:Redis puts shared ones in their place (AddScaleout).
        services.AddSingleton<IRoomLog, DefaultRoomLog>();
        services.AddSingleton<IRoomPresence, DefaultRoomPresence>();
        services.AddSingleton<ChatRoom>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatRoom>());
        return services;
    }
}
