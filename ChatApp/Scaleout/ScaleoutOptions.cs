namespace ChatApp.Scaleout;

/// <summary>The scale-out settings, read from the same <c>Chat</c> section (PROTOCOL.md §5).</summary>
public sealed class ScaleoutOptions
{
    /// <summary>The Redis connection string; empty: one node, no Redis.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Seconds between a node's heartbeats.</summary>
    public double NodeHeartbeatSeconds { get; set; } = 10;

    /// <summary>Seconds without a heartbeat after which the other nodes part a node's users.</summary>
    public double NodeTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds between checks that this node has applied everything the log holds (a lost publication is found here at the latest).</summary>
    public double LogCheckSeconds { get; set; } = 5;

    /// <summary>Events Redis keeps in the log (approximately); older history is served from each node's SQLite.</summary>
    public int RedisLogLength { get; set; } = 100_000;

    /// <summary>Seconds a (user, clientId) pair is remembered across nodes.</summary>
    public int IdempotencySeconds { get; set; } = 86_400;

    public double PresenceGraceSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);
}
