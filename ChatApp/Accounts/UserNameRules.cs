using System.Text.RegularExpressions;
using ChatApp.Chat;

namespace ChatApp.Accounts;

/// <summary>1–32 Unicode letters, digits, '_', '-' and '.'; "system" and its look-alikes are reserved (PROTOCOL.md §1).</summary>
public static partial class UserNameRules
{
    public const string Reserved = "system";
    private static readonly string ReservedSkeleton = NameSkeleton.Of(Reserved);

    [GeneratedRegex(@"^[\p{L}\p{Nd}_.\-]+$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) =>
        name is { Length: >= 1 and <= Limits.MaxNameLength } && Pattern().IsMatch(name) && !NameSkeleton.AllOf(name).Contains(ReservedSkeleton);
}
