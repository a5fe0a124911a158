using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Every key the nodes of one chat share. All carry the hash tag <c>{chat}</c>, so a script's keys sit in one
/// slot; the scripts also reach per-node sets through <see cref="Prefix"/>, so this is for one Redis, not a cluster.
/// </summary>
public sealed class RedisKeys(string prefix = "{chat}:")
{
    public string Prefix { get; } = prefix;

    /// <summary>The room's id sequence (INCR); never trusted alone: the log's top and the caller's floor bound it.</summary>
    public RedisKey Sequence => Prefix + "seq";

    /// <summary>The event log: a stream whose entry ids are the event ids (<c>&lt;id&gt;-0</c>).</summary>
    public RedisKey Log => Prefix + "log";

    /// <summary>The channel each new event is published on as <c>"&lt;id&gt; &lt;json&gt;"</c>.</summary>
    public RedisChannel Bus => RedisChannel.Literal(Prefix + "bus");

    public RedisKey Idempotency(string userKey, string clientId) => $"{Prefix}idem:{userKey}:{clientId}";

    public RedisKey RateLimit(string userKey) => $"{Prefix}rl:{userKey}";

    /// <summary>A fixed-window counter (sign-ins per address, profile visits), expiring with its window.</summary>
    public RedisKey Limit(string key) => $"{Prefix}limit:{key}";

    /// <summary>A name's wrong-password back-off.</summary>
    public RedisKey Backoff(string nameKey) => $"{Prefix}backoff:{nameKey}";

    /// <summary>Presence: connection id → <c>node|userKey</c>.</summary>
    public RedisKey Connections => Prefix + "conns";

    /// <summary>Presence: userKey → number of presence connections anywhere.</summary>
    public RedisKey UserCounts => Prefix + "ucount";

    /// <summary>Presence: userKey → name as claimed, for everyone online (the roster).</summary>
    public RedisKey Online => Prefix + "online";

    /// <summary>Presence: userKey → time (ms) their part is due, while a reconnect may still cancel it.</summary>
    public RedisKey Parting => Prefix + "parting";

    /// <summary>Node heartbeats: node id → time (ms) after which the node counts as dead.</summary>
    public RedisKey Nodes => Prefix + "nodes";

    public RedisKey NodeConnections(string node) => $"{Prefix}node:{node}";

    public RedisKey User(string nameKey) => $"{Prefix}user:{nameKey}";

    public RedisKey Session(string tokenHash) => $"{Prefix}session:{tokenHash}";

    public RedisKey UserSessions(string nameKey) => $"{Prefix}sessions:{nameKey}";

    /// <summary>The name key holding a confusable-insensitive skeleton, so look-alikes are refused across nodes.</summary>
    public RedisKey Skeleton(string skeleton) => $"{Prefix}skeleton:{skeleton}";

    /// <summary>The channel on which a node tells the others which name or session it changed.</summary>
    public RedisChannel AccountChanges => RedisChannel.Literal(Prefix + "accounts");

    /// <summary>Where the data-protection key ring lives, so a cookie issued by any node opens on every node.</summary>
    public RedisKey DataProtectionKeys => Prefix + "dataprotection-keys";
}
