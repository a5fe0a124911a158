namespace ChatApp.Chat;

/// <summary>User names are compared case-insensitively (PROTOCOL.md §1).</summary>
public static class Names
{
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    public static bool Equal(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>The key a name is stored under: case folded, so "Jim" and "jim" are one user.</summary>
    public static string Key(string name) => name.ToUpperInvariant();
}
