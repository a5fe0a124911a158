using Microsoft.AspNetCore.Connections;
using ChatApp.Diagnostics;
namespace ChatApp.Connections;

public static class ConnectionExtensions
{
    /// <summary>What the socket endpoints (<c>/ws</c>, <c>/stomp</c>) share: the origin check, socket buffers, queue segments.</summary>
    public static IServiceCollection AddSocketEndpoints(this IServiceCollection services)
    {
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<WebSocketChat>(); // /ws admission and life, for the endpoint and the direct path alike
        // Kestrel's socket buffers come from a pool the server can empty after a burst (registered after Kestrel's own).
        services.AddSingleton<TrimmableBlockPool>();
        services.AddSingleton<ITrimmable>(sp => sp.GetRequiredService<TrimmableBlockPool>());
        services.AddSingleton<IMemoryPoolFactory<byte>, TrimmableBlockPoolFactory>();
        services.AddSingleton<ITrimmable>(FrameQueue.SegmentPool); // the outboxes' queue segments
        return services;
    }
}
