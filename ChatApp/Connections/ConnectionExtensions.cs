using Microsoft.AspNetCore.Connections;
using ChatApp.Diagnostics;
namespace ChatApp.Connections;

public static class ConnectionExtensions
{
    /// <summary>What the socket endpoints (<c>/ws</c>, <c>/stomp</c>) share: the origin check.</summary>
    public static IServiceCollection AddSocketEndpoints(this IServiceCollection services)
    {
        services.AddSingleton<OriginPolicy>();
        // Kestrel's socket buffers come from a pool the server can empty after a burst (registered after Kestrel's own).
        services.AddSingleton<TrimmableBlockPool>();
        services.AddSingleton<ITrimmable>(sp => sp.GetRequiredService<TrimmableBlockPool>());
        services.AddSingleton<IMemoryPoolFactory<byte>, TrimmableBlockPoolFactory>();
        services.AddSingleton<ITrimmable>(FrameQueue.SegmentPool); // the outboxes' queue segments
        return services;
    }
}
