namespace ChatApp.Accounts;

/// <summary>
/// The answer to claiming a name: the user's display name and a session token, or an error code
/// (<c>bad_name</c>, <c>bad_password</c>, <c>name_taken</c>, or <c>rate_limited</c> with <see cref="RetryAfter"/>).
/// </summary>
public sealed record ClaimResult(string? Name, string? Token, string? Error, TimeSpan? RetryAfter = null)
{
    public static ClaimResult Refused(string error) => new(null, null, error);

    public static ClaimResult RateLimited(TimeSpan retryAfter) => new(null, null, "rate_limited", retryAfter);
}
