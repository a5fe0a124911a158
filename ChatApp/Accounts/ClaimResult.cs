namespace ChatApp.Accounts;

/// <summary>The answer to claiming a name: the user's display name and a session token, or an error code.</summary>
public sealed record ClaimResult(string? Name, string? Token, string? Error)
{
    public static ClaimResult Refused(string error) => new(null, null, error);
}
