using System.Text.RegularExpressions;

namespace ChatApp.Chat;

/// <summary>
/// The claimed names a message addresses as <c>@name</c> (PROTOCOL.md §2.4): case-insensitive, shown as first
/// claimed, a trailing <c>. , : ; ! ?</c> not part of the name. A pure function of the text and the claimed names.
/// </summary>
public static partial class Mentions
{
    private const int MaxNameLength = 32;

    /// <summary>Lookups per message are bounded, so a text full of <c>@a @b @c…</c> costs little.</summary>
    public const int MaxCandidates = 50;

    // A name's characters (PROTOCOL.md §1) after an '@' that does not continue a word (so "ann@example.com" is no mention).
    [GeneratedRegex(@"(?<![\p{L}\p{Nd}_.\-@])@([\p{L}\p{Nd}_.\-]+)")]
    private static partial Regex Candidate();

    /// <param name="claimedName">a name as claimed (its first spelling), or null for a name nobody claimed</param>
    /// <returns>the mentioned names, each once, in order of first mention</returns>
    public static IReadOnlyList<string> Find(string? text, Func<string, string?> claimedName)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@')) return [];
        var found = new List<string>();
        var tried = new HashSet<string>(Names.Comparer);
        foreach (Match match in Candidate().Matches(text))
        {
            // Of the trailing punctuation only '.' can be a name's character; the others already ended the match.
            var name = match.Groups[1].Value.TrimEnd('.');
            if (name.Length is 0 or > MaxNameLength || !tried.Add(name)) continue;
            if (claimedName(name) is { } claimed && !found.Contains(claimed, Names.Comparer)) found.Add(claimed);
            if (tried.Count >= MaxCandidates) break;
        }
        return found;
    }
}
