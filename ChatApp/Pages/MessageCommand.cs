namespace ChatApp.Pages;

/// <summary>
/// <c>/msg &lt;user&gt; &lt;text&gt;</c> typed in the message box: a private message. The page's script
/// (wwwroot/js/input.js) reads it the same way; this copy serves the form post without JavaScript.
/// </summary>
public static class MessageCommand
{
    private const string Prefix = "/msg";

    public static (string? To, string Text) Parse(string? text)
    {
        text ??= "";
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || text.Length == Prefix.Length || !char.IsWhiteSpace(text[Prefix.Length]))
            return (null, text);
        var rest = text[Prefix.Length..].TrimStart();
        var end = 0;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
        return (rest[..end], rest[end..].TrimStart());
    }
}
