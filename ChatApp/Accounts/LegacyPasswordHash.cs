using System.Security.Cryptography;

namespace ChatApp.Accounts;

/// <summary>
/// The format ChatApp stored passwords in before it used the framework's hasher: <c>pbkdf2$iterations$salt$hash</c>
/// (PBKDF2-SHA256). Only read now, so existing passwords keep working; a sign-in with one rehashes it.
/// </summary>
public static class LegacyPasswordHash
{
    private const string Prefix = "pbkdf2$";

    public static bool IsLegacy(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || !int.TryParse(parts[1], out var iterations)) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException) { return false; }
    }
}
