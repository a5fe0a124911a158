using System.Globalization;
using ChatApp.Accounts;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Claimed names and sessions shared by every node: a hash per name (by its comparison key), a key per
/// session (by the token's hash) and a set of each name's sessions, so signing out and releasing are global.
/// A claim is one script, so two nodes cannot both win a name.
/// </summary>
public sealed class RedisAccounts(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>Creates the name with its first session unless it exists; ARGV: token hash, then field/value pairs.</summary>
    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], unpack(ARGV, 3))
        redis.call('SET', KEYS[2], ARGV[1])
        redis.call('SADD', KEYS[3], ARGV[2])
        return 1
        """;

    /// <summary>Replaces a released name (still created at ARGV[3]) and ends its sessions; ARGV as <see cref="CreateScript"/> plus the old creation time first.</summary>
    private const string ReplaceScript = """
        if redis.call('HGET', KEYS[1], 'createdAt') ~= ARGV[1] then return 0 end
        for _, hash in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', ARGV[4] .. hash) end
        redis.call('DEL', KEYS[1], KEYS[3])
        redis.call('HSET', KEYS[1], unpack(ARGV, 5))
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('SADD', KEYS[3], ARGV[3])
        return 1
        """;

    private const string SignOutScript = """
        local key = redis.call('GET', KEYS[1])
        if not key then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('SREM', ARGV[1] .. key, ARGV[2])
        return 1
        """;

    public async Task<UserAccount?> FindAsync(string nameKey)
    {
        var fields = (await redis.GetDatabase().HashGetAllAsync(keys.User(nameKey))).ToDictionary(f => (string)f.Name!, f => (string?)f.Value);
        if (!fields.TryGetValue("name", out var name) || name is null) return null;
        return new UserAccount
        {
            NameKey = nameKey,
            Name = name,
            PasswordHash = fields.GetValueOrDefault("password") is { Length: > 0 } hash ? hash : null,
            CreatedAt = ParseTime(fields.GetValueOrDefault("createdAt")) ?? DateTime.UnixEpoch,
            LastSeenAt = ParseTime(fields.GetValueOrDefault("lastSeenAt")),
            VisibleFromId = long.TryParse(fields.GetValueOrDefault("visibleFrom"), out var id) ? id : 0,
        };
    }

    /// <summary>Claims a new name with its first session; false when the name already exists (another node was first).</summary>
    public async Task<bool> TryCreateAsync(UserAccount user, string tokenHash) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(CreateScript,
            [keys.User(user.NameKey), keys.Session(tokenHash), keys.UserSessions(user.NameKey)],
            [user.NameKey, tokenHash, .. Fields(user)]) == 1;

    /// <summary>Gives a released name (<paramref name="previous"/>) to a new owner, ending the old owner's sessions; false when it changed meanwhile.</summary>
    public async Task<bool> TryReplaceAsync(UserAccount previous, UserAccount user, string tokenHash) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(ReplaceScript,
            [keys.User(user.NameKey), keys.Session(tokenHash), keys.UserSessions(user.NameKey)],
            [FormatTime(previous.CreatedAt), user.NameKey, tokenHash, keys.Prefix + "session:", .. Fields(user)]) == 1;

    public async Task AddSessionAsync(string nameKey, string tokenHash)
    {
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        _ = transaction.StringSetAsync(keys.Session(tokenHash), nameKey);
        _ = transaction.SetAddAsync(keys.UserSessions(nameKey), tokenHash);
        await transaction.ExecuteAsync();
    }

    /// <summary>The name key a session token's hash belongs to, or null (signed out, or never issued).</summary>
    public async Task<string?> FindSessionAsync(string tokenHash) => await redis.GetDatabase().StringGetAsync(keys.Session(tokenHash));

    public async Task<bool> SignOutAsync(string tokenHash) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(SignOutScript, [keys.Session(tokenHash)], [keys.Prefix + "sessions:", tokenHash]) == 1;

    public Task SetPasswordAsync(string nameKey, string passwordHash) =>
        redis.GetDatabase().HashSetAsync(keys.User(nameKey), "password", passwordHash);

    public Task MarkSeenAsync(string nameKey, DateTime now) =>
        redis.GetDatabase().HashSetAsync(keys.User(nameKey), "lastSeenAt", FormatTime(now));

    private static RedisValue[] Fields(UserAccount user) =>
    [
        "name", user.Name,
        "password", user.PasswordHash ?? "",
        "createdAt", FormatTime(user.CreatedAt),
        "lastSeenAt", user.LastSeenAt is { } seen ? FormatTime(seen) : "",
        "visibleFrom", user.VisibleFromId,
    ];

    private static string FormatTime(DateTime time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTime? ParseTime(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time.ToUniversalTime() : null;
}
