namespace ChatApp.Accounts;

/// <summary>One node alone: its database is the truth and there is nobody to tell. Every call completes at once.</summary>
public sealed class DefaultAccountDirectory : IAccountDirectory
{
    public bool IsShared => false;
    public ValueTask<bool> TryClaimAsync(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons) => new(true);
    public ValueTask WithdrawClaimAsync(UserAccount user, UserAccount? previous) => ValueTask.CompletedTask;
    public ValueTask<UserAccount?> FindAsync(string nameKey, CancellationToken cancellationToken) => new((UserAccount?)null);
    public ValueTask<UserAccount?[]> FindAllAsync(IReadOnlyList<string> nameKeys, CancellationToken cancellationToken) => new(new UserAccount?[nameKeys.Count]);
    public ValueTask<string?> FindSessionAsync(string tokenHash, CancellationToken cancellationToken) => new((string?)null);
    public ValueTask SessionStartedAsync(string nameKey, string tokenHash) => ValueTask.CompletedTask;
    public ValueTask SessionEndedAsync(string tokenHash) => ValueTask.CompletedTask;
    public ValueTask PasswordChangedAsync(string nameKey, string passwordHash) => ValueTask.CompletedTask;
    public ValueTask SeenAsync(string nameKey, DateTime now) => ValueTask.CompletedTask;
    public event Action<string?, string?>? Changed { add { } remove { } }
}
