namespace ChatApp.Accounts;

/// <summary>
/// What the <see cref="AccountStore"/> shares with other nodes: nothing on one node (<see cref="DefaultAccountDirectory"/>),
/// or every name and session through Redis (<c>Scaleout/RedisAccountDirectory</c>), chosen at start-up. The store keeps
/// its memory as a cache of this and drops what <see cref="Changed"/> names.
/// </summary>
public interface IAccountDirectory
{
    /// <summary>True when the directory, not this node's database, is the truth (the store then loads on demand).</summary>
    bool IsShared { get; }

    /// <summary>Makes <paramref name="user"/> the name's owner everywhere (replacing <paramref name="previous"/>, a released owner); false when another node was first.</summary>
    bool TryClaim(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons);

    /// <summary>A name claimed on another node, or null.</summary>
    UserAccount? Find(string nameKey);

    /// <summary>The name key of a session issued on another node, or null.</summary>
    string? FindSession(string tokenHash);

    void SessionStarted(string nameKey, string tokenHash);

    void SessionEnded(string tokenHash);

    void PasswordChanged(string nameKey, string passwordHash);

    /// <summary>The user was here (every few minutes at most): a name in use is not released.</summary>
    void Seen(string nameKey, DateTime now);

    /// <summary>Raised when another node changed a name (its key) or ended a session (its hash), or when everything may have (null).</summary>
    event Action<string?, string?>? Changed;
}
