using System.Text;

namespace ChatApp.Storage;

/// <summary>
/// Most chat messages are one plain paragraph, whose HTML is the text again with four characters escaped: the archive
/// stores no rendering for such a message (<see cref="StoredExtra"/>) and rebuilds it on reading (it had doubled the
/// size of the archive). Any other rendering is stored as it is.
/// </summary>
internal static class StoredHtml
{
    /// <summary>What Markdown makes of text with no markup in it: one paragraph, the HTML-special characters escaped.</summary>
    public static string ParagraphOf(string text)
    {
        var html = new StringBuilder(text.Length + 8).Append("<p>");
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                default: html.Append(c); break;
            }
        }
        return html.Append("</p>\n").ToString();
    }

    /// <summary>Whether <paramref name="html"/> is <see cref="ParagraphOf"/> <paramref name="text"/>, compared in place (the writer asks it of every message).</summary>
    public static bool IsParagraphOf(string text, string html)
    {
        if (html.Length < text.Length + 8 || !html.StartsWith("<p>", StringComparison.Ordinal) || !html.EndsWith("</p>\n", StringComparison.Ordinal))
            return false;
        var rest = html.AsSpan(3, html.Length - 8);
        foreach (var c in text)
        {
            var escaped = c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", _ => null };
            if (escaped is null)
            {
                if (rest.IsEmpty || rest[0] != c) return false;
                rest = rest[1..];
            }
            else
            {
                if (!rest.StartsWith(escaped, StringComparison.Ordinal)) return false;
                rest = rest[escaped.Length..];
            }
        }
        return rest.IsEmpty;
    }
}
