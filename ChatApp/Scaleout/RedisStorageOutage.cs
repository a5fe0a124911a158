using ChatApp.Chat;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>Redis unreachable or not answering in time (a connection failure, a timeout, a node that is loading).</summary>
public sealed class RedisStorageOutage : IStorageOutage
{
    public bool IsOutage(Exception exception) =>
        exception is RedisConnectionException or RedisTimeoutException
        || exception is RedisServerException { Message: var m } && m.StartsWith("LOADING", StringComparison.Ordinal);
}
