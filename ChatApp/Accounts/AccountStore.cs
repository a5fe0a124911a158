using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Accounts;

/// <summary>
/// Claimed names and signed-in sessions (PROTOCOL.md §1). Kept in memory for the hot path
/// (every request and socket authenticates) and written through to SQLite, asynchronously: only
/// start-up reads the database synchronously.
/// </summary>
public sealed class AccountStore(
    IDbContextFactory<ChatDbContext> contexts,
    IOptions<ChatOptions> options,
    ChatRoom room,
    IPasswordBackoff backoff,
    IAccountDirectory directory,
    TimeProvider clock,
    ILogger<AccountStore> log) : IHostedService
{
    private static readonly TimeSpan LastSeenWriteInterval = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, UserAccount> _users = new();
    private readonly ConcurrentDictionary<string, string> _sessions = new(); // token hash -> name key

    // Serialises the (short) step that makes a name someone's, so two clients cannot both win it or two
    // look-alikes; password hashing, the slow part, happens outside it.
    private readonly Lock _claims = new();
    private readonly Dictionary<string, HashSet<string>> _keysBySkeleton = new(); // guarded by _claims
    private readonly SemaphoreSlim _claimWrites = new(1, 1);

    // "Last seen" writes under way: they run beside the request that marked the user seen, and are waited for on stop.
    private readonly ConcurrentDictionary<Task, bool> _seenWrites = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        directory.Changed += Forget;
        // Shared accounts (Chat:Redis) are read on demand: this node's copy may be older than the directory.
        if (directory.IsShared) return Task.CompletedTask;
        using var db = contexts.CreateDbContext();
        lock (_claims)
            foreach (var user in db.Users.AsNoTracking())
            {
                _users[user.NameKey] = user;
                IndexSkeleton(user);
            }
        foreach (var session in db.Sessions.AsNoTracking()) _sessions[session.TokenHash] = session.NameKey;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(_seenWrites.Keys).WaitAsync(cancellationToken);

    public UserAccount? Find(string name) => User(Names.Key(name));

    /// <summary>The name's account: from memory, else from the directory (claimed on another node).</summary>
    private UserAccount? User(string key)
    {
        if (_users.TryGetValue(key, out var user)) return user;
        if (directory.Find(key) is not { } shared) return null;
        lock (_claims)
        {
            user = _users.GetOrAdd(key, shared);
            IndexSkeleton(user);
        }
        return user;
    }

    /// <summary>The name key a session token's hash belongs to: from memory, else from the directory.</summary>
    private string? SessionHolder(string hash)
    {
        if (_sessions.TryGetValue(hash, out var key)) return key;
        if (directory.FindSession(hash) is not { } shared) return null;
        return _sessions.GetOrAdd(hash, shared);
    }

    /// <summary>Another node changed a name or ended a session: this node's copy is dropped and read again when needed.</summary>
    private void Forget(string? nameKey, string? tokenHash)
    {
        if (nameKey is null && tokenHash is null) { _users.Clear(); _sessions.Clear(); return; }
        if (tokenHash is not null) _sessions.TryRemove(tokenHash, out _);
        if (nameKey is not null && _users.TryRemove(nameKey, out _))
            foreach (var (hash, holder) in _sessions)
                if (holder == nameKey) _sessions.TryRemove(hash, out _);
    }

    /// <summary>The user signed in by <paramref name="token"/>, or null.</summary>
    public ChatUser? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        if (SessionHolder(HashToken(token)) is not { } key || User(key) is not { } user) return null;
        MarkSeen(user);
        return new ChatUser(user.Name, user.VisibleFromId);
    }

    /// <summary>
    /// Signs in as the existing user <paramref name="name"/> with a session token of theirs or their password,
    /// without starting a session (STOMP <c>CONNECT</c>'s login and passcode). Wrong passwords back off per name:
    /// then <c>RetryAfter</c> says how long until the next try.
    /// </summary>
    public async Task<(ChatUser? User, TimeSpan? RetryAfter)> SignInAsync(string name, string passcodeOrToken, CancellationToken cancellationToken = default)
    {
        var key = Names.Key(name);
        if (User(key) is not { } owner || IsReleased(owner, clock.GetUtcNow().UtcDateTime)) return (null, null);
        if (Authenticate(passcodeOrToken) is { } byToken && Names.Key(byToken.Name) == key) return (byToken, null);
        var (verdict, retryAfter) = await CheckPasswordAsync(owner, passcodeOrToken, cancellationToken);
        return (verdict == PasswordVerificationResult.Failed ? null : new ChatUser(owner.Name, owner.VisibleFromId), retryAfter);
    }

    /// <summary>Claims <paramref name="name"/> for a client that holds <paramref name="currentToken"/> (may be null).</summary>
    public async Task<ClaimResult> ClaimAsync(string? name, string? password, string? currentToken, CancellationToken cancellationToken = default)
    {
        if (!UserNameRules.IsValid(name)) return ClaimResult.Refused("bad_name");
        if (password is { Length: > Limits.MaxPasswordLength }) return ClaimResult.Refused("bad_password");
        var key = Names.Key(name!);
        var skeletons = NameSkeleton.AllOf(name!);
        var now = clock.GetUtcNow().UtcDateTime;
        var owner = User(key);
        if (owner is not null && !IsReleased(owner, now)) return await SignInOwnerAsync(owner, password, currentToken, now, cancellationToken);
        lock (_claims)
            if (LookAlikeTaken(key, skeletons, now)) return ClaimResult.Refused("name_taken");

        // A released name's new owner sees none of the old owner's private events: those are all at or below
        // the room's newest id now.
        var visibleFrom = owner is null ? 0 : await room.LastIdAsync(cancellationToken);
        var user = new UserAccount { NameKey = key, Name = name!, CreatedAt = now, LastSeenAt = now, VisibleFromId = visibleFrom };
        if (!string.IsNullOrEmpty(password)) user.PasswordHash = Passwords.Hash(user, password);

        lock (_claims)
        {
            now = clock.GetUtcNow().UtcDateTime;
            var current = _users.GetValueOrDefault(key);
            // Someone else claimed it (or a look-alike) while this claim hashed its password.
            if (current != owner || LookAlikeTaken(key, skeletons, now)) return ClaimResult.Refused("name_taken");
            // Other nodes (Chat:Redis) may have given the name, or a look-alike, away meanwhile.
            if (!directory.TryClaim(user, owner, skeletons)) return ClaimResult.Refused("name_taken");
            // Held from here: a claim that comes next is refused. The disk is written outside the lock, so a
            // burst of claims (a reconnect storm) never queues threads behind one another's commits.
            _users[key] = user;
            IndexSkeleton(user);
        }
        // Only a name held before can have sessions to drop; a new name skips the scan (a claim storm stays linear).
        if (owner is not null)
            foreach (var (hash, holder) in _sessions)
                if (holder == key) _sessions.TryRemove(hash, out _);
        try
        {
            // One claim writes at a time (no SQLite busy retries between them), awaited rather than blocking a thread.
            await _claimWrites.WaitAsync(cancellationToken);
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                // The profile's count starts where the new owner begins, none of the old owner's messages still being written
                // counted (a read from this id would move it there too; done now, that read has no rows to count).
                if (owner is not null) await PublicMessageCounts.MoveAsync(db, user.Name, visibleFrom, cancellationToken);
                // Whatever this database still holds under the key is a previous owner's (released here, or on another node).
                await db.Sessions.Where(s => s.NameKey == key).ExecuteDeleteAsync(cancellationToken);
                await db.Users.Where(u => u.NameKey == key).ExecuteDeleteAsync(cancellationToken);
                db.Users.Add(user);
                var token = await NewSessionAsync(db, key, now, cancellationToken); // the user and its first session in one commit
                return new ClaimResult(user.Name, token, null);
            }
            finally
            {
                _claimWrites.Release();
            }
        }
        catch
        {
            // Not stored: the name is not this client's after all.
            lock (_claims)
                if (_users.TryGetValue(key, out var held) && held == user) _users.TryRemove(key, out _);
            throw;
        }
    }

    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        if (User(Names.Key(name)) is not { } user) return;
        await SavePasswordHashAsync(user, Passwords.Hash(user, password), cancellationToken);
    }

    /// <summary>Ends the session of <paramref name="token"/>; the name stays its owner's.</summary>
    public async Task SignOutAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = HashToken(token);
        directory.SessionEnded(hash);
        if (!_sessions.TryRemove(hash, out _)) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.TokenHash == hash).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Records that the user was here now: in memory at once, on disk at most every few minutes, by a write that runs
    /// beside the caller (every authenticated request passes here; none waits for that write).
    /// </summary>
    public void MarkSeen(UserAccount user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var last = user.LastSeenAt;
        user.LastSeenAt = now;
        if (last is not null && now - last.Value < LastSeenWriteInterval) return;
        var write = Task.Run(() => WriteSeenAsync(user.NameKey, now));
        _seenWrites.TryAdd(write, true);
        write.ContinueWith(done => _seenWrites.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task WriteSeenAsync(string key, DateTime now)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Users.Where(u => u.NameKey == key).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSeenAt, now));
            directory.Seen(key, now);
        }
        catch (Exception ex) { log.LogWarning(ex, "Writing when {Name} was last seen failed", key); } // memory has it; the next write catches up
    }

    /// <summary>The name is taken: its owner gets a session back by the token they hold or by its password.</summary>
    private async Task<ClaimResult> SignInOwnerAsync(UserAccount owner, string? password, string? currentToken, DateTime now, CancellationToken cancellationToken)
    {
        if (currentToken is not null && SessionHolder(HashToken(currentToken)) is { } held && held == owner.NameKey)
            return new ClaimResult(owner.Name, currentToken, null);
        if (string.IsNullOrEmpty(password) || owner.PasswordHash is null) return ClaimResult.Refused("name_taken");
        var (verdict, retryAfter) = await CheckPasswordAsync(owner, password, cancellationToken);
        if (verdict == PasswordVerificationResult.Failed)
            return retryAfter is { } wait ? ClaimResult.RateLimited(wait) : ClaimResult.Refused("name_taken");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return new ClaimResult(owner.Name, await NewSessionAsync(db, owner.NameKey, now, cancellationToken), null);
    }

    /// <summary>Checks a password against the name's back-off and hash; a hash in an old format is replaced by a new one.</summary>
    private async Task<(PasswordVerificationResult Verdict, TimeSpan? RetryAfter)> CheckPasswordAsync(UserAccount owner, string password, CancellationToken cancellationToken)
    {
        if (backoff.TryBegin(owner.NameKey) is { } retryAfter) return (PasswordVerificationResult.Failed, retryAfter);
        if (password.Length > Limits.MaxPasswordLength) return (PasswordVerificationResult.Failed, null);
        var verdict = Passwords.Verify(owner, password);
        if (verdict == PasswordVerificationResult.Failed) return (verdict, null);
        backoff.Succeeded(owner.NameKey);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) await SavePasswordHashAsync(owner, Passwords.Hash(owner, password), cancellationToken);
        return (verdict, null);
    }

    private async Task SavePasswordHashAsync(UserAccount user, string hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.NameKey == user.NameKey).ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash), cancellationToken);
        user.PasswordHash = hash;
        directory.PasswordChanged(user.NameKey, hash);
    }

    /// <summary>Whether another name that looks like this one (same skeleton) is someone's. Call under <see cref="_claims"/>.</summary>
    private bool LookAlikeTaken(string key, IReadOnlyList<string> skeletons, DateTime now) =>
        skeletons.Any(skeleton => _keysBySkeleton.TryGetValue(skeleton, out var keys)
            && keys.Any(other => other != key && User(other) is { } user && !IsReleased(user, now)));

    private void IndexSkeleton(UserAccount user)
    {
        foreach (var skeleton in NameSkeleton.AllOf(user.Name))
        {
            if (!_keysBySkeleton.TryGetValue(skeleton, out var keys)) _keysBySkeleton[skeleton] = keys = [];
            keys.Add(user.NameKey);
        }
    }

    private bool IsReleased(UserAccount user, DateTime now) =>
        user.PasswordHash is null
        && now - (user.LastSeenAt ?? user.CreatedAt) > TimeSpan.FromDays(options.Value.NameReleaseDays);

    /// <summary>Saves a new session (and whatever else <paramref name="db"/> holds) and returns its token.</summary>
    private async Task<string> NewSessionAsync(ChatDbContext db, string key, DateTime now, CancellationToken cancellationToken)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new SessionRecord { TokenHash = HashToken(token), NameKey = key, CreatedAt = now };
        db.Sessions.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        _sessions[record.TokenHash] = key;
        directory.SessionStarted(key, record.TokenHash);
        return token;
    }

    private static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
