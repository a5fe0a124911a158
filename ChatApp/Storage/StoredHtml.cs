using System.Text;

namespace ChatApp.Storage;

/// <summary>
/// How the Html column keeps a message's rendering. Most chat messages are one plain paragraph, whose HTML is the text
/// again with four characters escaped: such a rendering is stored as the one character <see cref="Paragraph"/> and
/// rebuilt on reading (it had doubled the size of the archive). Any other rendering is stored as it is; one that begins
/// with that character (Markdown never renders so) gets it once more in front, so every value reads back unchanged.
/// </summary>
internal static class StoredHtml
{
    public const char Paragraph = '\u0001';

    public static string? Compact(string text, string? html)
    {
        if (html is null) return null;
        if (IsParagraphOf(text, html)) return Paragraph.ToString();
        return html.Length > 0 && html[0] == Paragraph ? Paragraph + html : html;
    }

    public static string? Expand(string text, string? stored)
    {
        if (stored is null || stored.Length == 0 || stored[0] != Paragraph) return stored;
        return stored.Length == 1 ? ParagraphOf(text) : stored[1..];
    }

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
    private static bool IsParagraphOf(string text, string html)
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
