using System.Text;
using ChatApp.Chat;

namespace ChatApp.Search;

/// <summary>
/// A reader's search words as an SQLite FTS5 <c>MATCH</c> expression (PROTOCOL.md §3, <c>GET /api/search</c>): every word
/// quoted, so nothing typed is FTS5 syntax, matched as a prefix, and all of them required.
/// </summary>
public static class SearchQuery
{
    public const int MaxQueryLength = 200;
    public const int MaxWords = 12;

    public static readonly ChatError Empty = new("bad_request", "Give some words to search for.");
    public static readonly ChatError TooLong = new("bad_request", $"A search is at most {MaxQueryLength} characters and {MaxWords} words.");

    public static (string? Match, ChatError? Error) Parse(string? query)
    {
        if (query is { Length: > MaxQueryLength }) return (null, TooLong);
        // A word with no letter or digit is no FTS5 token ("--", "?"): it would match nothing, so it is left out.
        var words = (query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Any(char.IsLetterOrDigit))
            .ToList();
        if (words.Count == 0) return (null, Empty);
        if (words.Count > MaxWords) return (null, TooLong);
        var match = new StringBuilder();
        foreach (var word in words)
        {
            if (match.Length > 0) match.Append(" AND ");
            // Inside quotes FTS5 knows only one escape: a doubled quote. The '*' after the phrase makes it a prefix.
            match.Append('"').Append(word.Replace("\"", "\"\"")).Append("\"*");
        }
        return (match.ToString(), null);
    }
}
