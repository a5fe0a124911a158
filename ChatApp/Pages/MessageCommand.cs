using System.Text.RegularExpressions;

namespace ChatApp.Pages;

/// <summary>
/// <c>/msg &lt;user&gt; &lt;text&gt;</c> typed in the message box: a private message. The rule is <see cref="Pattern"/>, written
/// once: the form post without JavaScript applies it here, and the page hands it to its script (wwwroot/js/input.js).
/// </summary>
public static class MessageCommand
{
    /// <summary>The command as a regular expression that means the same in .NET and JavaScript (case-insensitive): the name, then the text.</summary>
    public const string Pattern = @"^/msg\s+(\S+)\s*([\s\S]*)$";

    private static readonly Regex Command = new(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static (string? To, string Text) Parse(string? text)
    {
        text ??= "";
        var match = Command.Match(text);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value) : (null, text);
    }
}
