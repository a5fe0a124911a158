using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ChatApp.Chat;

/// <summary>
/// Markdown to HTML that is safe to insert: raw HTML is escaped, and links and images keep their
/// target only for allow-listed schemes (STYLE.md 11). Thread-safe: one pipeline shared by every caller.
/// </summary>
public sealed class MessageRenderer
{
    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseTaskLists()
        // :smile: shortcodes become the emoji itself (plain text, no markup); ":)" smileys stay as typed.
        .UseEmojiAndSmiley(enableSmileys: false)
        .Build();

    public string Render(string markdown)
    {
        var document = Markdown.Parse(markdown, _pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            // Images from other hosts would leak readers' addresses: every image is shown as a link.
            link.IsImage = false;
            if (!IsSafe(link.Url)) Unwrap(link);
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
            if (!IsSafe(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url))
                autolink.ReplaceBy(new LiteralInline(autolink.Url));

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString().AddLinkRelations();
    }

    /// <summary>An unsafe link becomes its plain text.</summary>
    private static void Unwrap(LinkInline link)
    {
        foreach (var child in link.ToList())
        {
            child.Remove();
            link.InsertBefore(child);
        }
        link.Remove();
    }

    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return false;
        var colon = url.IndexOf(':');
        if (colon <= 0) return false; // relative or scheme-less targets are not offered either
        var scheme = url[..colon].Trim();
        return SafeSchemes.Any(s => s.Equals(scheme, StringComparison.OrdinalIgnoreCase))
               && Uri.TryCreate(url, UriKind.Absolute, out _);
    }
}

internal static class LinkRelations
{
    /// <summary>Links open in a new tab and do not hand the chat page to the target.</summary>
    public static string AddLinkRelations(this string html) =>
        html.Replace("<a href=\"", "<a rel=\"nofollow noopener noreferrer\" target=\"_blank\" href=\"", StringComparison.Ordinal);
}
