namespace ChatApp.Accounts;

/// <summary>A claimed name. <see cref="Name"/> is shown as first claimed; <see cref="NameKey"/> is its case-folded key.</summary>
public sealed class UserAccount
{
    public required string NameKey { get; init; }
    public required string Name { get; init; }
    public string? PasswordHash { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastSeenAt { get; set; }

    /// <summary>Newest event id when this owner claimed the name; older private events belong to a previous owner.</summary>
    public long VisibleFromId { get; init; }
}
