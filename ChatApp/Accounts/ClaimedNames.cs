using System.Collections.Concurrent;

namespace ChatApp.Accounts;

/// <summary>
/// The names this node holds (by key, and by look-alike skeleton) and the claims under way, for the <see cref="AccountStore"/>.
/// A claim reserves its name under one short lock, waits for the directory (Redis) and the disk with the lock let go, then confirms
/// or gives the reservation back: a claim of the name or a look-alike that comes meanwhile is refused, so two clients
/// cannot both win one, and no thread holds the lock while the network answers.
/// </summary>
internal sealed class ClaimedNames(Func<UserAccount, DateTime, bool> isReleased)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _keysBySkeleton = new(); // may name keys no longer held: checked on use
    private readonly HashSet<string> _pending = new(); // keys whose claim awaits the directory

    /// <summary>Owners by name key: read freely; added through this class, dropped by anyone (a copy another node changed).</summary>
    public ConcurrentDictionary<string, UserAccount> Users { get; } = new();

    /// <summary>An owner read from the database or the directory: held in memory and indexed by look-alike. Answers the copy kept.</summary>
    public UserAccount Add(UserAccount user)
    {
        lock (_lock)
        {
            var kept = Users.GetOrAdd(user.NameKey, user);
            Index(kept);
            return kept;
        }
    }

    /// <summary>Whether the name is being claimed, or another name that looks like it (same skeleton) is someone's or being claimed.</summary>
    public bool IsTaken(string key, IReadOnlyList<string> skeletons, DateTime now)
    {
        lock (_lock) return IsTakenLocked(key, skeletons, now);
    }

    /// <summary>Look-alike keys this node indexed but holds no copy of (another node changed them): to read again before a claim.</summary>
    public List<string> Dropped(string key, IReadOnlyList<string> skeletons)
    {
        lock (_lock)
            return [.. skeletons.SelectMany(s => _keysBySkeleton.GetValueOrDefault(s) ?? [])
                .Where(other => other != key && !Users.ContainsKey(other) && !_pending.Contains(other)).Distinct()];
    }

    /// <summary>
    /// Reserves <paramref name="user"/>'s name when it is still <paramref name="owner"/>'s (null: nobody's) and neither it nor a
    /// look-alike is taken or being claimed; then the caller asks the directory and calls <see cref="Confirm"/> or <see cref="Cancel"/>.
    /// </summary>
    public bool TryReserve(UserAccount user, UserAccount? owner, IReadOnlyList<string> skeletons, DateTime now)
    {
        lock (_lock)
        {
            if (Users.GetValueOrDefault(user.NameKey) != owner || IsTakenLocked(user.NameKey, skeletons, now)) return false;
            _pending.Add(user.NameKey);
            Index(user);
            return true;
        }
    }

    /// <summary>The directory gave the name to <paramref name="user"/> and the claim is stored: theirs from here.</summary>
    public void Confirm(UserAccount user)
    {
        lock (_lock)
        {
            Users[user.NameKey] = user;
            _pending.Remove(user.NameKey);
        }
    }

    /// <summary>The directory refused the claim, or asking it or storing the claim failed: the name is as it was before the claim.</summary>
    public void Cancel(string key)
    {
        lock (_lock) _pending.Remove(key);
    }

    private bool IsTakenLocked(string key, IReadOnlyList<string> skeletons, DateTime now) =>
        _pending.Contains(key)
        || skeletons.Any(skeleton => _keysBySkeleton.TryGetValue(skeleton, out var keys)
            && keys.Any(other => other != key && (_pending.Contains(other) || Users.TryGetValue(other, out var user) && !isReleased(user, now))));

    private void Index(UserAccount user)
    {
        foreach (var skeleton in NameSkeleton.AllOf(user.Name))
        {
            if (!_keysBySkeleton.TryGetValue(skeleton, out var keys)) _keysBySkeleton[skeleton] = keys = [];
            keys.Add(user.NameKey);
        }
    }
}
