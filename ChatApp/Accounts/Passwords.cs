using Microsoft.AspNetCore.Identity;

namespace ChatApp.Accounts;

/// <summary>Password hashes: the framework's <see cref="PasswordHasher{TUser}"/> (PBKDF2, its own versioned format), and the legacy format read.</summary>
public static class Passwords
{
    private static readonly PasswordHasher<UserAccount> Hasher = new();

    public static string Hash(UserAccount user, string password) => Hasher.HashPassword(user, password);

    /// <summary><see cref="PasswordVerificationResult.SuccessRehashNeeded"/> for a legacy hash or an older framework format.</summary>
    public static PasswordVerificationResult Verify(UserAccount user, string password)
    {
        if (user.PasswordHash is not { } stored) return PasswordVerificationResult.Failed;
        if (LegacyPasswordHash.IsLegacy(stored))
            return LegacyPasswordHash.Verify(password, stored) ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
        try { return Hasher.VerifyHashedPassword(user, stored, password); }
        catch (FormatException) { return PasswordVerificationResult.Failed; }
    }
}
