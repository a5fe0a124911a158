using System.Text.RegularExpressions;

namespace ChatApp.Accounts;

/// <summary>1–32 Unicode letters, digits, '_', '-' and '.'; "system" is reserved (PROTOCOL.md §1).</summary>
public static partial class UserNameRules
{
    [GeneratedRegex(@"^[\p{L}\p{Nd}_.\-]{1,32}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) =>
        name is not null && Pattern().IsMatch(name) && !name.Equals("system", StringComparison.OrdinalIgnoreCase);
}
