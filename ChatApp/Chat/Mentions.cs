using System.Text.RegularExpressions;

namespace ChatApp.Chat;

/// <summary>
/// The claimed names a message addresses as <c>@name</c> (PROTOCOL.md §2.4): case-insensitive, shown as first
/// claimed, a trailing <c>. , : ; ! ?</c> not part of the name. Pure functions: the text gives the candidates, which the
/// caller looks up all at once (<c>AccountStore.FindAllAsync</c>), and the claimed ones among them are the mentions.
/// </summary>
public static partial class Mentions
{
    private const int MaxNameLength = 32;

    /// <summary>
    /// Distinct names looked up per message (PROTOCOL.md §2.4 as docs/protocol.md reads it): a text full of
    /// <c>@a @b @c…</c> costs one bounded lookup; a name first addressed after this many others is no mention.
    /// </summary>
    public const int MaxCandidates = 50;

    // A name's characters (PROTOCOL.md §1) after an '@' that does not continue a word (so "ann@example.com" is no mention).
    [GeneratedRegex(@"(?<![\p{L}\p{Nd}_.\-@])@([\p{L}\p{Nd}_.\-]+)")]
    private static partial Regex Candidate();

    /// <returns>the names the text addresses as <c>@name</c>, each once (case-insensitively), in order of first mention, at most <see cref="MaxCandidates"/></returns>
    public static IReadOnlyList<string> Candidates(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Contains('@')) return [];
        var candidates = new List<string>();
        var tried = new HashSet<string>(Names.Comparer);
        foreach (Match match in Candidate().Matches(text))
        {
            // Of the trailing punctuation only '.' can be a name's character; the others already ended the match.
            var name = match.Groups[1].Value.TrimEnd('.');
            if (name.Length is 0 or > MaxNameLength || !tried.Add(name)) continue;
            candidates.Add(name);
            if (candidates.Count >= MaxCandidates) break;
        }
        return candidates;
    }

    /// <param name="claimed">the candidates as claimed (their first spelling), in their order; null for a name nobody claimed</param>
    /// <returns>the mentioned names, each once, in order of first mention</returns>
    public static IReadOnlyList<string> Resolve(IEnumerable<string?> claimed)
    {
        var found = new List<string>();
        foreach (var name in claimed)
            if (name is not null && !found.Contains(name, Names.Comparer)) found.Add(name);
        return found;
    }
}
