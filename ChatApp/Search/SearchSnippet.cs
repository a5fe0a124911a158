using System.Text;

namespace ChatApp.Search;

/// <summary>
/// FTS5's <c>snippet()</c> marks matches with two control characters; this turns its text into HTML that is safe to
/// insert: everything escaped, the marked matches in <c>&lt;mark&gt;</c>, tags always balanced.
/// </summary>
public static class SearchSnippet
{
    public const char Open = '\u0002';
    public const char Close = '\u0003';
    public const string Ellipsis = "…";

    public static string ToHtml(string? marked)
    {
        if (string.IsNullOrEmpty(marked)) return "";
        var html = new StringBuilder(marked.Length + 32);
        var plain = new StringBuilder();
        var open = false;
        foreach (var c in marked)
        {
            if (c is not (Open or Close)) { plain.Append(c); continue; }
            // A marker typed into a message could only open or close a mark out of turn: such ones are dropped.
            if ((c == Open) == open) continue;
            Escape(html, plain);
            html.Append(open ? "</mark>" : "<mark>");
            open = !open;
        }
        Escape(html, plain);
        if (open) html.Append("</mark>");
        return html.ToString();
    }

    /// <summary>The five characters that matter in HTML text and attributes; every other character stays as it is.</summary>
    private static void Escape(StringBuilder html, StringBuilder plain)
    {
        foreach (var chunk in plain.GetChunks())
            foreach (var c in chunk.Span)
            {
                var entity = c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => null };
                if (entity is null) html.Append(c); else html.Append(entity);
            }
        plain.Clear();
    }
}
