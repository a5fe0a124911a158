using ChatApp.Accounts;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Accounts shared by every node (<see cref="RedisAccounts"/>): claims are decided in Redis, and each change is
/// announced on a channel so the other nodes drop their copy; after a lost connection a node drops all of it.
/// </summary>
public sealed class RedisAccountDirectory : IAccountDirectory
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisAccounts _accounts;
    private readonly string _self = Guid.NewGuid().ToString("N");

    public RedisAccountDirectory(IConnectionMultiplexer redis, RedisKeys keys, RedisAccounts accounts)
    {
        _redis = redis;
        _keys = keys;
        _accounts = accounts;
        // Messages: "<sender> user <key>" or "<sender> session <hash>".
        redis.GetSubscriber().Subscribe(keys.AccountChanges, (_, message) =>
        {
            var parts = ((string?)message)?.Split(' ', 3);
            if (parts is not { Length: 3 } || parts[0] == _self) return;
            Changed?.Invoke(parts[1] == "user" ? parts[2] : null, parts[1] == "session" ? parts[2] : null);
        });
        redis.ConnectionRestored += (_, _) => Changed?.Invoke(null, null); // announcements may have been missed
    }

    public bool IsShared => true;

    public event Action<string?, string?>? Changed;

    public async ValueTask<bool> TryClaimAsync(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons)
    {
        var claimed = previous is null ? await _accounts.TryCreateAsync(user, "", skeletons) : await _accounts.TryReplaceAsync(previous, user, "");
        if (claimed) await AnnounceAsync("user", user.NameKey);
        return claimed;
    }

    public async ValueTask<UserAccount?> FindAsync(string nameKey, CancellationToken cancellationToken) =>
        await _accounts.FindAsync(nameKey, cancellationToken);

    public async ValueTask<UserAccount?[]> FindAllAsync(IReadOnlyList<string> nameKeys, CancellationToken cancellationToken) =>
        await _accounts.FindAllAsync(nameKeys, cancellationToken);

    public async ValueTask<string?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken) =>
        await _accounts.FindSessionAsync(tokenHash, cancellationToken);

    public async ValueTask SessionStartedAsync(string nameKey, string tokenHash) => await _accounts.AddSessionAsync(nameKey, tokenHash);

    public async ValueTask SessionEndedAsync(string tokenHash)
    {
        await _accounts.SignOutAsync(tokenHash);
        await AnnounceAsync("session", tokenHash);
    }

    public async ValueTask PasswordChangedAsync(string nameKey, string passwordHash)
    {
        await _accounts.SetPasswordAsync(nameKey, passwordHash);
        await AnnounceAsync("user", nameKey);
    }

    public async ValueTask SeenAsync(string nameKey, DateTime now) => await _accounts.MarkSeenAsync(nameKey, now);

    private Task AnnounceAsync(string kind, string key) => _redis.GetSubscriber().PublishAsync(_keys.AccountChanges, $"{_self} {kind} {key}");
}
