namespace ChatApp.Accounts;

/// <summary>One node alone: its database is the truth and there is nobody to tell.</summary>
public sealed class DefaultAccountDirectory : IAccountDirectory
{
    public bool IsShared => false;
    public bool TryClaim(UserAccount user, UserAccount? previous, IReadOnlyList<string> skeletons) => true;
    public UserAccount? Find(string nameKey) => null;
    public string? FindSession(string tokenHash) => null;
    public void SessionStarted(string nameKey, string tokenHash) { }
    public void SessionEnded(string tokenHash) { }
    public void PasswordChanged(string nameKey, string passwordHash) { }
    public void Seen(string nameKey, DateTime now) { }
    public event Action<string?, string?>? Changed { add { } remove { } }
}
