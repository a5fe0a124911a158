namespace ChatApp.Accounts;

/// <summary>One signed-in client. Only the SHA-256 of its token is stored.</summary>
public sealed class SessionRecord
{
    public required string TokenHash { get; init; }
    public required string NameKey { get; init; }
    public DateTime CreatedAt { get; init; }
}
