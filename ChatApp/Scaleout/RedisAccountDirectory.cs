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

    public bool TryClaim(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons)
    {
        var claimed = previous is null ? _accounts.TryCreate(user, "", skeletons) : _accounts.TryReplace(previous, user, "");
        if (claimed) Announce("user", user.NameKey);
        return claimed;
    }

    public UserAccount? Find(string nameKey) => _accounts.Find(nameKey);

    public string? FindSession(string tokenHash) => _accounts.FindSession(tokenHash);

    public void SessionStarted(string nameKey, string tokenHash) => _accounts.AddSession(nameKey, tokenHash);

    public void SessionEnded(string tokenHash)
    {
        _accounts.SignOut(tokenHash);
        Announce("session", tokenHash);
    }

    public void PasswordChanged(string nameKey, string passwordHash)
    {
        _accounts.SetPassword(nameKey, passwordHash);
        Announce("user", nameKey);
    }

    public void Seen(string nameKey, DateTime now) => _accounts.MarkSeen(nameKey, now);

    private void Announce(string kind, string key) => _redis.GetSubscriber().Publish(_keys.AccountChanges, $"{_self} {kind} {key}");
}
