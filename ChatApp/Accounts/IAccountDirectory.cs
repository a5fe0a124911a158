namespace ChatApp.Accounts;

/// <summary>
/// What the <see cref="AccountStore"/> shares with other nodes: nothing on one node (<see cref="DefaultAccountDirectory"/>),
/// or every name and session through Redis (<c>Scaleout/RedisAccountDirectory</c>), chosen at start-up. The store keeps
/// its memory as a cache of this and drops what <see cref="Changed"/> names. Every call may wait on the network, so
/// each is asynchronous (the in-memory one completes at once); reads stop waiting when <c>cancellationToken</c> fires.
/// </summary>
public interface IAccountDirectory
{
    /// <summary>True when the directory, not this node's database, is the truth (the store then loads on demand).</summary>
    bool IsShared { get; }

    /// <summary>
    /// Makes <paramref name="user"/> the name's owner everywhere (replacing <paramref name="previous"/>, a released owner); false when
    /// another node was first. Not cancellable: once asked, the answer is awaited, so this node's copy agrees with the directory.
    /// </summary>
    ValueTask<bool> TryClaimAsync(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons);

    /// <summary>
    /// Gives back a claim <see cref="TryClaimAsync"/> granted but this node could not store: the name is <paramref name="previous"/>'s
    /// again (null: nobody's), unless it changed meanwhile. The previous owner's sessions, ended by the claim, stay ended.
    /// </summary>
    ValueTask WithdrawClaimAsync(UserAccount user, UserAccount? previous);

    /// <summary>A name claimed on another node, or null.</summary>
    ValueTask<UserAccount?> FindAsync(string nameKey, CancellationToken cancellationToken);

    /// <summary>Several names at once (one round trip): their accounts in the order of <paramref name="nameKeys"/>, null where unclaimed.</summary>
    ValueTask<UserAccount?[]> FindAllAsync(IReadOnlyList<string> nameKeys, CancellationToken cancellationToken);

    /// <summary>The name key of a session issued on another node, or null.</summary>
    ValueTask<string?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken);

    ValueTask SessionStartedAsync(string nameKey, string tokenHash);

    ValueTask SessionEndedAsync(string tokenHash);

    ValueTask PasswordChangedAsync(string nameKey, string passwordHash);

    /// <summary>The user was here (every few minutes at most): a name in use is not released.</summary>
    ValueTask SeenAsync(string nameKey, DateTime now);

    /// <summary>Raised when another node changed a name (its key) or ended a session (its hash), or when everything may have (null).</summary>
    event Action<string?, string?>? Changed;
}
