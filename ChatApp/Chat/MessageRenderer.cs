using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
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

    /// <summary>Brackets, list items and quotes nested deeper than this are refused: no chat message needs it, and Markdig gives up near 128.</summary>
    public const int MaxNesting = 32;
    public const string TooDeepMessage = "The Markdown is nested too deeply.";

    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseTaskLists()
        // :smile: shortcodes become the emoji itself (plain text, no markup); ":)" smileys stay as typed.
        .UseEmojiAndSmiley(enableSmileys: false)
        .Build();

    /// <summary>The HTML, or throws <see cref="ArgumentException"/> for Markdown nested too deeply; callers with user input use <see cref="TryRender"/>.</summary>
    public string Render(string markdown) =>
        TryRender(markdown) ?? throw new ArgumentException(TooDeepMessage, nameof(markdown));

    /// <summary>The HTML, or null when the Markdown is nested deeper than <see cref="MaxNesting"/> (hostile input).</summary>
    public string? TryRender(string markdown)
    {
        MarkdownDocument document;
        try { document = Markdown.Parse(markdown, _pipeline); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InsufficientExecutionStackException) { return null; }
        if (Depth(document) > MaxNesting) return null;
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            // Images from other hosts would leak readers' addresses: every image is shown as a link.
            link.IsImage = false;
            if (!IsSafe(link.Url)) Unwrap(link);
            else AddRelations(link);
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (!IsSafe(autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url)) autolink.ReplaceBy(new LiteralInline(autolink.Url));
            else AddRelations(autolink);
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>Links open in a new tab and do not hand the chat page to the target.</summary>
    private static void AddRelations(Inline link)
    {
        var attributes = link.GetAttributes();
        attributes.AddPropertyIfNotExist("rel", "nofollow noopener noreferrer");
        attributes.AddPropertyIfNotExist("target", "_blank");
    }

    /// <summary>How deeply blocks and inlines nest, without recursion (the walk itself must not be a stack hazard).</summary>
    private static int Depth(MarkdownDocument document)
    {
        var deepest = 0;
        var stack = new Stack<(MarkdownObject Node, int Depth)>();
        stack.Push((document, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > deepest) deepest = depth;
            if (deepest > MaxNesting) return deepest;
            switch (node)
            {
                case ContainerBlock container: foreach (var child in container) stack.Push((child, depth + 1)); break;
                case LeafBlock { Inline: { } inline }: stack.Push((inline, depth + 1)); break;
                case ContainerInline inlines: foreach (var child in inlines) stack.Push((child, depth + 1)); break;
            }
        }
        return deepest;
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
