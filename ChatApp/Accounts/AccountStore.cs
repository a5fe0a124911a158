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
/// start-up reads the database synchronously. With Chat:Redis, what memory lacks is read from the
/// directory, awaited: a slow or unreachable Redis holds the requests that need it, never a thread.
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
    // The names held here, and the claims under way: two clients cannot both win a name or two look-alikes, and
    // password hashing, the directory's answer and the disk, the slow parts of a claim, happen outside its lock.
    private readonly ClaimedNames _names = new((user, now) => IsReleased(user, now, options.Value.NameReleaseDays));
    private readonly ConcurrentDictionary<string, string> _sessions = new(); // token hash -> name key
    private readonly SemaphoreSlim _claimWrites = new(1, 1);
    private readonly LastSeen _lastSeen = new(contexts, directory, clock, log);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        directory.Changed += Forget;
        // Shared accounts (Chat:Redis) are read on demand: this node's copy may be older than the directory.
        if (directory.IsShared) return Task.CompletedTask;
        using var db = contexts.CreateDbContext();
        foreach (var user in db.Users.AsNoTracking()) _names.Add(user);
        foreach (var session in db.Sessions.AsNoTracking()) _sessions[session.TokenHash] = session.NameKey;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _lastSeen.WrittenAsync(cancellationToken);

    /// <summary>The account of <paramref name="name"/>, or null; completes at once when this node holds it (always on one node).</summary>
    public ValueTask<UserAccount?> FindAsync(string name, CancellationToken cancellationToken = default) => UserAsync(Names.Key(name), cancellationToken);

    /// <summary>
    /// The accounts of several names (a message's mentions), in their order, null for a name nobody claimed: from memory, and
    /// what memory lacks from the directory in one round trip, so many names cost one wait, not one each.
    /// </summary>
    public ValueTask<UserAccount?[]> FindAllAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
        UsersAsync(names.Select(Names.Key).ToList(), cancellationToken);

    /// <summary>The name's account: from memory, else from the directory (claimed on another node).</summary>
    private ValueTask<UserAccount?> UserAsync(string key, CancellationToken cancellationToken) =>
        _names.Users.TryGetValue(key, out var user) ? new(user) : LoadUserAsync(key, cancellationToken);

    private async ValueTask<UserAccount?> LoadUserAsync(string key, CancellationToken cancellationToken) =>
        await directory.FindAsync(key, cancellationToken) is { } shared ? _names.Add(shared) : null;

    private async ValueTask<UserAccount?[]> UsersAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var found = new UserAccount?[keys.Count];
        List<int>? missing = null;
        for (var i = 0; i < keys.Count; i++)
            if (!_names.Users.TryGetValue(keys[i], out found[i])) (missing ??= []).Add(i);
        // One node alone holds every account: what memory lacks, nobody claimed.
        if (missing is null || !directory.IsShared) return found;
        var shared = await directory.FindAllAsync(missing.Select(i => keys[i]).ToList(), cancellationToken);
        for (var j = 0; j < missing.Count; j++)
            if (shared[j] is { } account) found[missing[j]] = _names.Add(account);
        return found;
    }

    /// <summary>The name key a session token's hash belongs to: from memory, else from the directory.</summary>
    private ValueTask<string?> SessionHolderAsync(string hash, CancellationToken cancellationToken) =>
        _sessions.TryGetValue(hash, out var key) ? new(key) : LoadSessionHolderAsync(hash, cancellationToken);

    private async ValueTask<string?> LoadSessionHolderAsync(string hash, CancellationToken cancellationToken) =>
        await directory.FindSessionAsync(hash, cancellationToken) is { } shared ? _sessions.GetOrAdd(hash, shared) : null;

    /// <summary>Another node changed a name or ended a session: this node's copy is dropped and read again when needed.</summary>
    private void Forget(string? nameKey, string? tokenHash)
    {
        if (nameKey is null && tokenHash is null) { _names.Users.Clear(); _sessions.Clear(); return; }
        if (tokenHash is not null) _sessions.TryRemove(tokenHash, out _);
        if (nameKey is not null && _names.Users.TryRemove(nameKey, out _))
            foreach (var (hash, holder) in _sessions)
                if (holder == nameKey) _sessions.TryRemove(hash, out _);
    }

    /// <summary>
    /// The user signed in by <paramref name="token"/>, or null. Every request and socket passes here: a session and name this
    /// node holds are answered at once, without an allocation for the task; only a miss waits, on the directory (Chat:Redis).
    /// </summary>
    public ValueTask<ChatUser?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return new((ChatUser?)null);
        var hash = HashToken(token);
        if (_sessions.TryGetValue(hash, out var key) && _names.Users.TryGetValue(key, out var user)) return new(SignedIn(user));
        return AuthenticateFromDirectoryAsync(hash, cancellationToken);
    }

    private async ValueTask<ChatUser?> AuthenticateFromDirectoryAsync(string hash, CancellationToken cancellationToken)
    {
        if (await SessionHolderAsync(hash, cancellationToken) is not { } key || await UserAsync(key, cancellationToken) is not { } user) return null;
        return SignedIn(user);
    }

    private ChatUser SignedIn(UserAccount user)
    {
        _lastSeen.Mark(user);
        return new ChatUser(user.Name, user.VisibleFromId);
    }

    /// <summary>
    /// Signs in as the existing user <paramref name="name"/> with a session token of theirs or their password,
    /// without starting a session (STOMP <c>CONNECT</c>'s login and passcode). Wrong passwords back off per name:
    /// then <c>RetryAfter</c> says how long until the next try. A token is taken as everywhere else
    /// (<see cref="AuthenticateAsync"/>): its holder keeps a released name until someone else claims it.
    /// </summary>
    public async Task<(ChatUser? User, TimeSpan? RetryAfter)> SignInAsync(string name, string passcodeOrToken, CancellationToken cancellationToken = default) =>
        await AuthenticateAsync(passcodeOrToken, cancellationToken) is { } byToken && Names.Key(byToken.Name) == Names.Key(name)
            ? (byToken, null)
            : await SignInWithPasswordAsync(name, passcodeOrToken, cancellationToken);

    /// <summary>Signs in as <paramref name="name"/> with its password only (a caller that has tried the passcode as a token already).</summary>
    public async Task<(ChatUser? User, TimeSpan? RetryAfter)> SignInWithPasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        if (await UserAsync(Names.Key(name), cancellationToken) is not { } owner || IsReleased(owner, clock.GetUtcNow().UtcDateTime)) return (null, null);
        var (verdict, retryAfter) = await CheckPasswordAsync(owner, password, cancellationToken);
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
        var owner = await UserAsync(key, cancellationToken);
        if (owner is not null && !IsReleased(owner, now)) return await SignInOwnerAsync(owner, password, currentToken, now, cancellationToken);
        // Look-alikes this node saw but dropped (changed on another node) are read again, so the check below knows them.
        if (_names.Dropped(key, skeletons) is { Count: > 0 } dropped) await UsersAsync(dropped, cancellationToken);
        if (_names.IsTaken(key, skeletons, now)) return ClaimResult.Refused("name_taken");

        // A released name's new owner sees none of the old owner's private events: those are all at or below
        // the room's newest id now.
        var visibleFrom = owner is null ? 0 : await room.LastIdAsync(cancellationToken);
        var user = new UserAccount { NameKey = key, Name = name!, CreatedAt = now, LastSeenAt = now, VisibleFromId = visibleFrom };
        if (!string.IsNullOrEmpty(password)) user.PasswordHash = Passwords.Hash(user, password);

        // Someone else claimed it (or a look-alike), or is claiming it, while this claim hashed its password. Reserved until
        // stored: a claim that comes next is refused, and memory keeps the old owner and their sessions until the commit.
        if (!_names.TryReserve(user, owner, skeletons, clock.GetUtcNow().UtcDateTime)) return ClaimResult.Refused("name_taken");
        var claimed = false;
        try
        {
            // Other nodes (Chat:Redis) may have given the name, or a look-alike, away meanwhile. Not cancelled: once
            // asked, the directory's answer is awaited, so this node's copy agrees with it.
            claimed = await directory.TryClaimAsync(user, owner, skeletons);
        }
        finally
        {
            if (!claimed) _names.Cancel(key);
        }
        if (!claimed) return ClaimResult.Refused("name_taken");
        (string Token, string Hash) session;
        try
        {
            session = await StoreClaimAsync(user, owner, now, cancellationToken);
        }
        catch
        {
            // Not stored: the name stays the old owner's (or nobody's), here and in the directory.
            _names.Cancel(key);
            await WithdrawClaimAsync(user, owner);
            throw;
        }
        // The old owner's sessions end before the name turns the new owner's: none of them is ever taken for the new owner.
        // Only a name held before can have sessions to drop; a new name skips the scan (a claim storm stays linear).
        if (owner is not null)
            foreach (var (hash, holder) in _sessions)
                if (holder == key) _sessions.TryRemove(hash, out _);
        _names.Confirm(user);
        await SessionStartedAsync(key, session.Hash);
        return new ClaimResult(user.Name, session.Token, null);
    }

    /// <summary>
    /// Writes a claim: the old owner's rows go and the new owner's user and first session come in one commit, so a crash
    /// between them cannot lose the name. Answers the session's token and its hash.
    /// </summary>
    private async Task<(string Token, string Hash)> StoreClaimAsync(UserAccount user, UserAccount? owner, DateTime now, CancellationToken cancellationToken)
    {
        // One claim writes at a time (no SQLite busy retries between them), awaited rather than blocking a thread. The
        // directory was asked before, so a burst of claims (a reconnect storm) never waits on Redis behind this.
        await _claimWrites.WaitAsync(cancellationToken);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The profile's count starts where the new owner begins, none of the old owner's messages still being written
            // counted (a read from this id would move it there too; done now, that read has no rows to count).
            if (owner is not null) await PublicMessageCounts.MoveAsync(db, user.Name, user.VisibleFromId, cancellationToken);
            // Whatever this database still holds under the key is a previous owner's (released here, or on another node).
            await db.Sessions.Where(s => s.NameKey == user.NameKey).ExecuteDeleteAsync(cancellationToken);
            await db.Users.Where(u => u.NameKey == user.NameKey).ExecuteDeleteAsync(cancellationToken);
            db.Users.Add(user);
            var session = AddSession(db, user.NameKey, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return session;
        }
        finally
        {
            _claimWrites.Release();
        }
    }

    /// <summary>Gives a claim that could not be stored back in the directory; failing that, the claim's error is the one reported.</summary>
    private async Task WithdrawClaimAsync(UserAccount user, UserAccount? owner)
    {
        try
        {
            await directory.WithdrawClaimAsync(user, owner);
        }
        catch (Exception ex) { log.LogWarning(ex, "Giving back the unstored claim of {Name} failed", user.Name); }
    }

    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken = default)
    {
        if (await UserAsync(Names.Key(name), cancellationToken) is not { } user) return;
        await SavePasswordHashAsync(user, Passwords.Hash(user, password), cancellationToken);
    }

    /// <summary>Ends the session of <paramref name="token"/>; the name stays its owner's.</summary>
    public async Task SignOutAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = HashToken(token);
        await directory.SessionEndedAsync(hash);
        if (!_sessions.TryRemove(hash, out _)) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Sessions.Where(s => s.TokenHash == hash).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Marks <paramref name="name"/> seen now (a connection of theirs closed); a directory unreachable now only costs this mark.</summary>
    public async Task MarkSeenAsync(string name)
    {
        try
        {
            if (await FindAsync(name) is { } user) _lastSeen.Mark(user);
        }
        catch (Exception ex) { log.LogWarning(ex, "Marking {Name} as seen failed", name); } // the next request or connection marks them again
    }

    /// <summary>The name is taken: its owner gets a session back by the token they hold or by its password.</summary>
    private async Task<ClaimResult> SignInOwnerAsync(UserAccount owner, string? password, string? currentToken, DateTime now, CancellationToken cancellationToken)
    {
        if (currentToken is not null && await SessionHolderAsync(HashToken(currentToken), cancellationToken) is { } held && held == owner.NameKey)
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
        if (await backoff.TryBeginAsync(owner.NameKey) is { } retryAfter) return (PasswordVerificationResult.Failed, retryAfter);
        if (password.Length > Limits.MaxPasswordLength) return (PasswordVerificationResult.Failed, null);
        var verdict = Passwords.Verify(owner, password);
        if (verdict == PasswordVerificationResult.Failed) return (verdict, null);
        await backoff.SucceededAsync(owner.NameKey);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) await SavePasswordHashAsync(owner, Passwords.Hash(owner, password), cancellationToken);
        return (verdict, null);
    }

    private async Task SavePasswordHashAsync(UserAccount user, string hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.NameKey == user.NameKey).ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash), cancellationToken);
        user.PasswordHash = hash;
        await directory.PasswordChangedAsync(user.NameKey, hash);
    }

    private bool IsReleased(UserAccount user, DateTime now) => IsReleased(user, now, options.Value.NameReleaseDays);

    private static bool IsReleased(UserAccount user, DateTime now, int releaseDays) =>
        user.PasswordHash is null && now - (user.LastSeenAt ?? user.CreatedAt) > TimeSpan.FromDays(releaseDays);

    /// <summary>Saves a new session (and whatever else <paramref name="db"/> holds) and returns its token.</summary>
    private async Task<string> NewSessionAsync(ChatDbContext db, string key, DateTime now, CancellationToken cancellationToken)
    {
        var (token, hash) = AddSession(db, key, now);
        await db.SaveChangesAsync(cancellationToken);
        await SessionStartedAsync(key, hash);
        return token;
    }

    /// <summary>Adds a new session to <paramref name="db"/>, unsaved; it counts here and in the directory once saved (<see cref="SessionStartedAsync"/>).</summary>
    private static (string Token, string Hash) AddSession(ChatDbContext db, string key, DateTime now)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new SessionRecord { TokenHash = HashToken(token), NameKey = key, CreatedAt = now };
        db.Sessions.Add(record);
        return (token, record.TokenHash);
    }

    private async Task SessionStartedAsync(string key, string hash)
    {
        _sessions[hash] = key;
        await directory.SessionStartedAsync(key, hash);
    }

    private static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
