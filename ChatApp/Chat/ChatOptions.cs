namespace ChatApp.Chat;

/// <summary>The <c>Chat</c> section of the settings (PROTOCOL.md §5).</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    public string DataDir { get; set; } = "data";
    public int ReplayCount { get; set; } = 50;
    public int MaxReplay { get; set; } = 1000;
    public int MaxMessageLength { get; set; } = 4000;
    public long MaxFileBytes { get; set; } = 26_214_400;
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Name claims and sign-ins allowed per client address per window.</summary>
    public SignInLimitOptions SignInLimit { get; set; } = new();
    public string[] AllowedOrigins { get; set; } = [];
    public int NameReleaseDays { get; set; } = 30;
    public string Redis { get; set; } = "";

    /// <summary>Proxies whose X-Forwarded-For is believed (IP addresses); nobody's by default.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (<c>10.0.0.0/8</c>).</summary>
    public string[] TrustedNetworks { get; set; } = [];

    /// <summary>Frames a connection may have queued before it counts as too slow and is cut off.</summary>
    public int OutboxFrames { get; set; } = 8192;

    /// <summary>Events the room keeps in memory for replay; older ones are read from the database.</summary>
    public int ArchiveCapacity { get; set; } = 20_000;

    /// <summary>Bytes a socket may have waiting to be sent inside the process before its writes wait (Kestrel's default is 64 KiB).</summary>
    public long SocketWriteBufferBytes { get; set; } = 16 * 1024;

    /// <summary>Plain <c>/ws</c> upgrades are taken below Kestrel's HTTP layer (Connections/DirectWebSockets.cs); false leaves every request to it.</summary>
    public bool DirectWebSockets { get; set; } = true;

    /// <summary>Bytes a connection may have queued (beyond a full replay) before it counts as too slow; 0 for no byte limit.</summary>
    public long OutboxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Seconds one write to a connection may stay unfinished (the client not reading) before it is cut off.</summary>
    public double SendTimeoutSeconds { get; set; } = 20;

    public StorageOptions Storage { get; set; } = new();

    /// <summary>Giving memory back after a burst (Diagnostics/MemoryTrim).</summary>
    public MemoryOptions Memory { get; set; } = new();

    /// <summary>Seconds a user's last closed connection may be replaced before their part is sent (0: at once).</summary>
    public double PresenceGraceSeconds { get; set; } = 5;

    /// <summary>Absolute data directory: relative paths are taken from the directory the server starts in.</summary>
    public string DataPath => Path.GetFullPath(DataDir, Environment.CurrentDirectory);

    /// <summary>Where shared files' bytes live; the nodes of one chat (Chat:Redis) mount the same directory. Default: <c>files/</c> in the data directory.</summary>
    public string FilesDir { get; set; } = "";

    public string FilesPath => FilesDir.Length > 0 ? Path.GetFullPath(FilesDir, Environment.CurrentDirectory) : Path.Combine(DataPath, "files");
}

public sealed class RateLimitOptions
{
    public int Messages { get; set; } = 20;
    public double PerSeconds { get; set; } = 10;
}

/// <summary>How hard the event writer tries before a batch is refused as <c>storage_unavailable</c>.</summary>
public sealed class StorageOptions
{
    public int Attempts { get; set; } = 3;
    public int RetryDelayMilliseconds { get; set; } = 200;

    /// <summary>How long one attempt waits for another writer's lock on the database.</summary>
    public int BusyTimeoutMilliseconds { get; set; } = 5000;

    /// <summary>
    /// For benchmarks only: the writer commits no events (it hands each batch back as stored), so they are delivered
    /// as usual and gone on restart. It measures what storage costs the fan-out; a warning says so at start.
    /// </summary>
    public bool DiscardEvents { get; set; }
}

public sealed class SignInLimitOptions
{
    public int Requests { get; set; } = 20;
    public double PerSeconds { get; set; } = 60;
}

public sealed class MemoryOptions
{
    /// <summary>Seconds between checks; 0 turns trimming off.</summary>
    public double CheckSeconds { get; set; } = 2;
    /// <summary>Allocated since the last trim for a spell to count as a burst.</summary>
    public int BurstMegabytes { get; set; } = 16;
    /// <summary>Allocated within one check for the server to count as quiet.</summary>
    public int QuietMegabytes { get; set; } = 1;
}
