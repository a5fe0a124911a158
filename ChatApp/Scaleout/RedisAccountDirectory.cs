using ChatApp.Accounts;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Accounts shared by every node (<see cref="RedisAccounts"/>): claims are decided in Redis, and each change is
/// announced on a channel so the other nodes drop their copy; after a lost connection a node drops all of it.
/// Started before the server listens, so the node hears every announcement from before its first request.
/// </summary>
public sealed class RedisAccountDirectory(IConnectionMultiplexer redis, RedisKeys keys, RedisAccounts accounts) : IAccountDirectory, IHostedService
{
    private readonly string _self = Guid.NewGuid().ToString("N");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Messages: "<sender> user <key>" or "<sender> session <hash>".
        await redis.GetSubscriber().SubscribeAsync(keys.AccountChanges, (_, message) =>
        {
            var parts = ((string?)message)?.Split(' ', 3);
            if (parts is not { Length: 3 } || parts[0] == _self) return;
            Changed?.Invoke(parts[1] == "user" ? parts[2] : null, parts[1] == "session" ? parts[2] : null);
        }).WaitAsync(cancellationToken);
        redis.ConnectionRestored += (_, _) => Changed?.Invoke(null, null); // announcements may have been missed
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsShared => true;

    public event Action<string?, string?>? Changed;

    public async ValueTask<bool> TryClaimAsync(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons)
    {
        var claimed = previous is null ? await accounts.TryCreateAsync(user, "", skeletons) : await accounts.TryReplaceAsync(previous, user, "");
        if (claimed) await AnnounceAsync("user", user.NameKey);
        return claimed;
    }

    public async ValueTask WithdrawClaimAsync(UserAccount user, UserAccount? previous)
    {
        if (await accounts.TryWithdrawAsync(user, previous)) await AnnounceAsync("user", user.NameKey);
    }

    public async ValueTask<UserAccount?> FindAsync(string nameKey, CancellationToken cancellationToken) =>
        await accounts.FindAsync(nameKey, cancellationToken);

    public async ValueTask<UserAccount?[]> FindAllAsync(IReadOnlyList<string> nameKeys, CancellationToken cancellationToken) =>
        await accounts.FindAllAsync(nameKeys, cancellationToken);

    public async ValueTask<string?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken) =>
        await accounts.FindSessionAsync(tokenHash, cancellationToken);

    public async ValueTask SessionStartedAsync(string nameKey, string tokenHash) => await accounts.AddSessionAsync(nameKey, tokenHash);

    public async ValueTask SessionEndedAsync(string tokenHash)
    {
        await accounts.SignOutAsync(tokenHash);
        await AnnounceAsync("session", tokenHash);
    }

    public async ValueTask PasswordChangedAsync(string nameKey, string passwordHash)
    {
        await accounts.SetPasswordAsync(nameKey, passwordHash);
        await AnnounceAsync("user", nameKey);
    }

    public async ValueTask SeenAsync(string nameKey, DateTime now) => await accounts.MarkSeenAsync(nameKey, now);

    private Task AnnounceAsync(string kind, string key) => redis.GetSubscriber().PublishAsync(keys.AccountChanges, $"{_self} {kind} {key}");
}
