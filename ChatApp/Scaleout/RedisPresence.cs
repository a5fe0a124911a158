using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Who is online across all nodes, kept in Redis by <see cref="RedisScripts"/>: one entry per presence
/// connection, a count per user whose crossing 0/1 appends join and part to the log, and a heartbeat per node.
/// The notices reach every node (this one too) through the log, like any event.
/// </summary>
public sealed class RedisPresence(IConnectionMultiplexer redis, RedisKeys keys, ScaleoutOptions options, TimeProvider clock)
{
    /// <summary>Registers a presence connection; answers the id of the join it caused, or 0 (not the user's first).</summary>
    public Task<long> ConnectAsync(string node, string connection, string userKey, string name, long floor) =>
        RunAsync(RedisScripts.Connect, floor, connection, node, userKey, name);

    /// <summary>Unregisters a presence connection; answers the id of the part it caused, or 0.</summary>
    public Task<long> DisconnectAsync(string connection, long floor) => RunAsync(RedisScripts.Disconnect, floor, connection);

    /// <summary>Says this node is alive until now plus the node timeout; false when Redis did not know it (new, swept as dead, or Redis lost its data): its connections must register again.</summary>
    public async Task<bool> HeartbeatAsync(string node, long floor)
    {
        var expiry = clock.GetUtcNow().AddSeconds(options.NodeTimeoutSeconds).ToUnixTimeMilliseconds();
        return await RunAsync(RedisScripts.Heartbeat, floor, node, expiry) == 1;
    }

    /// <summary>Parts the users of dead nodes (and of <paramref name="restartedNode"/>, this node's previous life) and of graces run out; answers the number of nodes dropped.</summary>
    public Task<long> SweepAsync(long floor, string? restartedNode = null) => RunAsync(RedisScripts.Sweep, floor, restartedNode ?? "");

    /// <summary>Names online on any node, sorted case-insensitively.</summary>
    public async Task<IReadOnlyList<string>> RosterAsync()
    {
        var names = (await redis.GetDatabase().HashValuesAsync(keys.Online)).Select(v => (string)v!).ToList();
        names.Sort(StringComparer.OrdinalIgnoreCase);
        return names;
    }

    private async Task<long> RunAsync(RedisScript script, long floor, params RedisValue[] arguments)
    {
        RedisValue[] common =
        [
            keys.Bus.ToString(), floor, options.RedisLogLength, clock.GetUtcNow().ToUnixTimeMilliseconds(), keys.Prefix,
            (long)(options.PresenceGraceSeconds * 1000),
        ];
        var result = await script.EvaluateAsync(redis.GetDatabase(),
            [keys.Sequence, keys.Log, keys.Connections, keys.UserCounts, keys.Online, keys.Parting, keys.Nodes],
            [.. common, .. arguments]);
        return (long)result;
    }
}
