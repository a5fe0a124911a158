using ChatApp.Accounts;
using ChatApp.Chat;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

public static class ScaleoutExtensions
{
    /// <summary>
    /// With Chat:Redis set, several nodes are one chat: the room's log, presence, accounts and limits are the shared ones,
    /// and cookies open on every node (data-protection keys in Redis). Without it, nothing changes. Call after the
    /// room and accounts are added, so the shared implementations take the defaults' places.
    /// </summary>
    public static IServiceCollection AddScaleout(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ChatOptions.Section).Get<ScaleoutOptions>() ?? new ScaleoutOptions();
        if (!options.Enabled) return services;

        var redisOptions = ConfigurationOptions.Parse(options.Redis);
        redisOptions.AbortOnConnectFail = false; // a node starts, and reconnects, whenever Redis is back
        var redis = ConnectionMultiplexer.Connect(redisOptions);
        var keys = new RedisKeys();
        services.AddSingleton(options);
        services.AddSingleton<IConnectionMultiplexer>(redis);
        services.AddSingleton(keys);
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<RedisEventLog>();
        services.AddSingleton<RedisEventFeed>();
        services.AddSingleton<RedisPresence>();
        services.AddSingleton<RedisAccounts>();
        services.AddSingleton<RedisRoomLog>();
        services.AddSingleton<RedisRoomPresence>();
        services.Replace(ServiceDescriptor.Singleton<IRoomLog>(sp => sp.GetRequiredService<RedisRoomLog>()));
        services.Replace(ServiceDescriptor.Singleton<IRoomPresence>(sp => sp.GetRequiredService<RedisRoomPresence>()));
        services.AddSingleton<RedisAccountDirectory>();
        services.Replace(ServiceDescriptor.Singleton<IAccountDirectory>(sp => sp.GetRequiredService<RedisAccountDirectory>()));
        services.Replace(ServiceDescriptor.Singleton<IWindowCounter, RedisWindowCounter>());
        services.Replace(ServiceDescriptor.Singleton<IPasswordBackoff, RedisPasswordBackoff>());
        services.AddSingleton<IStorageOutage, RedisStorageOutage>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisAccountDirectory>()); // subscribes to account changes, awaited
        services.AddHostedService<RedisNodeService>(); // after the room: it starts once the room's feed knows its last id
        services.AddDataProtection().PersistKeysToStackExchangeRedis(redis, keys.DataProtectionKeys);
        return services;
    }
}
