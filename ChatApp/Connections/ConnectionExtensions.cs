namespace ChatApp.Connections;

public static class ConnectionExtensions
{
    /// <summary>What the socket endpoints (<c>/ws</c>, <c>/stomp</c>) share: the origin check.</summary>
    public static IServiceCollection AddSocketEndpoints(this IServiceCollection services) =>
        services.AddSingleton<OriginPolicy>();
}
