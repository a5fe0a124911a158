using System.Globalization;
using ChatApp.Accounts;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Claimed names and sessions shared by every node: a hash per name (by its comparison key), a key per
/// session (by the token's hash) and a set of each name's sessions, so signing out and releasing are global.
/// A claim is one script, so two nodes cannot both win a name. Asked only when a node's memory misses (a name or
/// session from another node) or something changes, and never blocking a thread while Redis answers: a slow or
/// unreachable Redis holds those requests, not the thread pool. Reads stop waiting when their caller gives up;
/// a write is seen to its end (or SE.Redis's timeout), since it may already have taken effect.
/// </summary>
public sealed class RedisAccounts(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>
    /// Creates the name (and its first session, when ARGV[2] is not empty) unless it, or a look-alike holding one of its
    /// skeletons (KEYS[4..]), exists. ARGV: name key, token hash, user key prefix, then field/value pairs.
    /// </summary>
    private static readonly RedisScript CreateScript = new("""
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        for i = 4, #KEYS do
          local holder = redis.call('GET', KEYS[i])
          if holder and holder ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. holder) == 1 then return 0 end
        end
        for i = 4, #KEYS do redis.call('SET', KEYS[i], ARGV[1]) end
        redis.call('HSET', KEYS[1], unpack(ARGV, 4))
        if ARGV[2] ~= '' then
          redis.call('SET', KEYS[2], ARGV[1])
          redis.call('SADD', KEYS[3], ARGV[2])
        end
        return 1
        """);

    /// <summary>Replaces a released name (still created at ARGV[1]) and ends its sessions; ARGV: old creation time, name key, token hash (or empty), session key prefix, field/value pairs.</summary>
    private static readonly RedisScript ReplaceScript = new("""
        if redis.call('HGET', KEYS[1], 'createdAt') ~= ARGV[1] then return 0 end
        for _, hash in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', ARGV[4] .. hash) end
        redis.call('DEL', KEYS[1], KEYS[3])
        redis.call('HSET', KEYS[1], unpack(ARGV, 5))
        if ARGV[3] ~= '' then
          redis.call('SET', KEYS[2], ARGV[2])
          redis.call('SADD', KEYS[3], ARGV[3])
        end
        return 1
        """);

    /// <summary>Deletes a name created at ARGV[1], with its sessions' set (a claim given back); ARGV: creation time.</summary>
    private static readonly RedisScript DeleteScript = new("""
        if redis.call('HGET', KEYS[1], 'createdAt') ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1], KEYS[2])
        return 1
        """);

    private static readonly RedisScript SignOutScript = new("""
        local key = redis.call('GET', KEYS[1])
        if not key then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('SREM', ARGV[1] .. key, ARGV[2])
        return 1
        """);

    public async Task<UserAccount?> FindAsync(string nameKey, CancellationToken cancellationToken = default) =>
        Account(nameKey, await redis.GetDatabase().HashGetAllAsync(keys.User(nameKey)).WaitAsync(cancellationToken));

    /// <summary>
    /// Several names in one round trip (their reads sent together as a batch): the accounts in the order of
    /// <paramref name="nameKeys"/>, null for a name nobody claimed.
    /// </summary>
    public async Task<UserAccount?[]> FindAllAsync(IReadOnlyList<string> nameKeys, CancellationToken cancellationToken = default)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var reads = new Task<HashEntry[]>[nameKeys.Count];
        for (var i = 0; i < reads.Length; i++) reads[i] = batch.HashGetAllAsync(keys.User(nameKeys[i]));
        batch.Execute();
        var found = await Task.WhenAll(reads).WaitAsync(cancellationToken);
        var accounts = new UserAccount?[found.Length];
        for (var i = 0; i < found.Length; i++) accounts[i] = Account(nameKeys[i], found[i]);
        return accounts;
    }

    /// <summary>Claims a new name (with its first session, unless <paramref name="tokenHash"/> is empty); false when the name or a look-alike (sharing one of <paramref name="skeletons"/>) already exists.</summary>
    public async Task<bool> TryCreateAsync(UserAccount user, string tokenHash, IReadOnlyList<string>? skeletons = null) =>
        (long)await CreateScript.EvaluateAsync(redis.GetDatabase(),
            [keys.User(user.NameKey), keys.Session(tokenHash), keys.UserSessions(user.NameKey), .. (skeletons ?? [user.NameKey]).Select(keys.Skeleton)],
            [user.NameKey, tokenHash, keys.Prefix + "user:", .. Fields(user)]) == 1;

    /// <summary>Gives a released name (<paramref name="previous"/>) to a new owner, ending the old owner's sessions; false when it changed meanwhile.</summary>
    public async Task<bool> TryReplaceAsync(UserAccount previous, UserAccount user, string tokenHash) =>
        (long)await ReplaceScript.EvaluateAsync(redis.GetDatabase(),
            [keys.User(user.NameKey), keys.Session(tokenHash), keys.UserSessions(user.NameKey)],
            [FormatTime(previous.CreatedAt), user.NameKey, tokenHash, keys.Prefix + "session:", .. Fields(user)]) == 1;

    /// <summary>
    /// Gives back <paramref name="user"/>'s claim: the name is <paramref name="previous"/>'s again, or nobody's (its look-alike entries
    /// then name a key that no longer exists, which frees them); false when it changed meanwhile.
    /// </summary>
    public async Task<bool> TryWithdrawAsync(UserAccount user, UserAccount? previous) =>
        previous is not null
            ? await TryReplaceAsync(user, previous, "")
            : (long)await DeleteScript.EvaluateAsync(redis.GetDatabase(),
                [keys.User(user.NameKey), keys.UserSessions(user.NameKey)], [FormatTime(user.CreatedAt)]) == 1;

    public async Task AddSessionAsync(string nameKey, string tokenHash)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.StringSetAsync(keys.Session(tokenHash), nameKey);
        _ = transaction.SetAddAsync(keys.UserSessions(nameKey), tokenHash);
        await transaction.ExecuteAsync();
    }

    /// <summary>The name key a session token's hash belongs to, or null (signed out, or never issued).</summary>
    public async Task<string?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringGetAsync(keys.Session(tokenHash)).WaitAsync(cancellationToken);

    public async Task<bool> SignOutAsync(string tokenHash) =>
        (long)await SignOutScript.EvaluateAsync(redis.GetDatabase(), [keys.Session(tokenHash)], [keys.Prefix + "sessions:", tokenHash]) == 1;

    public Task SetPasswordAsync(string nameKey, string passwordHash) =>
        redis.GetDatabase().HashSetAsync(keys.User(nameKey), "password", passwordHash);

    public Task MarkSeenAsync(string nameKey, DateTime now) =>
        redis.GetDatabase().HashSetAsync(keys.User(nameKey), "lastSeenAt", FormatTime(now));

    private static UserAccount? Account(string nameKey, HashEntry[] entries)
    {
        var fields = entries.ToDictionary(f => (string)f.Name!, f => (string?)f.Value);
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
