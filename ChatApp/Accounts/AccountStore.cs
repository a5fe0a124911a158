using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Accounts;

/// <summary>
/// Claimed names and signed-in sessions (PROTOCOL.md §1). Kept in memory for the hot path
/// (every request and socket authenticates) and written through to SQLite.
/// </summary>
public sealed class AccountStore(
    IDbContextFactory<ChatDbContext> contexts,
    IOptions<ChatOptions> options,
    ChatRoom room,
    TimeProvider clock) : IHostedService
{
    private static readonly TimeSpan LastSeenWriteInterval = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, UserAccount> _users = new();
    private readonly ConcurrentDictionary<string, string> _sessions = new(); // token hash -> name key
    private readonly Lock _claims = new(); // serialises claims, so two clients cannot both win a name

    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var db = contexts.CreateDbContext();
        foreach (var user in db.Users.AsNoTracking()) _users[user.NameKey] = user;
        foreach (var session in db.Sessions.AsNoTracking()) _sessions[session.TokenHash] = session.NameKey;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public UserAccount? Find(string name) => _users.GetValueOrDefault(Names.Key(name));

    /// <summary>The user signed in by <paramref name="token"/>, or null.</summary>
    public ChatUser? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        if (!_sessions.TryGetValue(HashToken(token), out var key) || !_users.TryGetValue(key, out var user)) return null;
        MarkSeen(user);
        return new ChatUser(user.Name, user.VisibleFromId);
    }

    /// <summary>
    /// Signs <paramref name="name"/> in with <paramref name="passcode"/>: a session token of that user, or that
    /// user's password (STOMP CONNECT's login and passcode). Null otherwise, also for another user's token.
    /// </summary>
    public ChatUser? SignIn(string? name, string? passcode)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(passcode) || Find(name) is not { } account) return null;
        if (_sessions.TryGetValue(HashToken(passcode), out var key))
            return key == account.NameKey ? Authenticate(passcode) : null;
        if (account.PasswordHash is null || !PasswordHasher.Verify(passcode, account.PasswordHash)) return null;
        MarkSeen(account);
        return new ChatUser(account.Name, account.VisibleFromId);
    }

    /// <summary>Claims <paramref name="name"/> for a client that holds <paramref name="currentToken"/> (may be null).</summary>
    public ClaimResult Claim(string? name, string? password, string? currentToken)
    {
        if (!UserNameRules.IsValid(name)) return ClaimResult.Refused("bad_name");
        var key = Names.Key(name!);
        lock (_claims)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (_users.TryGetValue(key, out var owner) && !IsReleased(owner, now))
            {
                if (currentToken is not null && _sessions.TryGetValue(HashToken(currentToken), out var held) && held == key)
                    return new ClaimResult(owner.Name, currentToken, null);
                if (!string.IsNullOrEmpty(password) && PasswordHasher.Verify(password, owner.PasswordHash))
                {
                    using var sessionDb = contexts.CreateDbContext();
                    return new ClaimResult(owner.Name, NewSession(sessionDb, key, now), null);
                }
                return ClaimResult.Refused("name_taken");
            }

            var user = new UserAccount
            {
                NameKey = key,
                Name = name!,
                PasswordHash = string.IsNullOrEmpty(password) ? null : PasswordHasher.Hash(password),
                CreatedAt = now,
                LastSeenAt = now,
                VisibleFromId = owner is null ? 0 : room.LastId,
            };
            using var db = contexts.CreateDbContext();
            if (owner is not null)
            {
                db.Sessions.Where(s => s.NameKey == key).ExecuteDelete();
                db.Users.Where(u => u.NameKey == key).ExecuteDelete();
                foreach (var (hash, holder) in _sessions)
                    if (holder == key) _sessions.TryRemove(hash, out _);
            }
            db.Users.Add(user);
            var token = NewSession(db, key, now); // the user and its first session in one commit
            _users[key] = user;
            return new ClaimResult(user.Name, token, null);
        }
    }

    public void SetPassword(string name, string password)
    {
        var key = Names.Key(name);
        if (!_users.TryGetValue(key, out var user)) return;
        var hash = PasswordHasher.Hash(password);
        using var db = contexts.CreateDbContext();
        db.Users.Where(u => u.NameKey == key).ExecuteUpdate(u => u.SetProperty(x => x.PasswordHash, hash));
        user.PasswordHash = hash;
    }

    /// <summary>Ends the session of <paramref name="token"/>; the name stays its owner's.</summary>
    public void SignOut(string token)
    {
        var hash = HashToken(token);
        if (!_sessions.TryRemove(hash, out _)) return;
        using var db = contexts.CreateDbContext();
        db.Sessions.Where(s => s.TokenHash == hash).ExecuteDelete();
    }

    /// <summary>Records that the user was here now (written to disk at most every few minutes).</summary>
    public void MarkSeen(UserAccount user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var last = user.LastSeenAt;
        user.LastSeenAt = now;
        if (last is not null && now - last.Value < LastSeenWriteInterval) return;
        using var db = contexts.CreateDbContext();
        db.Users.Where(u => u.NameKey == user.NameKey).ExecuteUpdate(u => u.SetProperty(x => x.LastSeenAt, now));
    }

    private bool IsReleased(UserAccount user, DateTime now) =>
        user.PasswordHash is null
        && now - (user.LastSeenAt ?? user.CreatedAt) > TimeSpan.FromDays(options.Value.NameReleaseDays);

    /// <summary>Saves a new session (and whatever else <paramref name="db"/> holds) and returns its token.</summary>
    private string NewSession(ChatDbContext db, string key, DateTime now)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new SessionRecord { TokenHash = HashToken(token), NameKey = key, CreatedAt = now };
        db.Sessions.Add(record);
        db.SaveChanges();
        _sessions[record.TokenHash] = key;
        return token;
    }

    private static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
