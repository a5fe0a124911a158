using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatApp.Pages;

/// <summary>How the page shows a shared file; wwwroot/js/render.js follows the same rules.</summary>
public static class FileDisplay
{
    /// <summary>
    /// The content types shown inline, space-separated. Only raster formats: an SVG could carry script, so it is
    /// offered as a download like any other file. Written once: the page hands the list to render.js isInlineImage().
    /// </summary>
    public const string InlineImageTypeList = "image/png image/jpeg image/gif image/webp";

    private static readonly HashSet<string> InlineImageTypes = new(InlineImageTypeList.Split(' '), StringComparer.OrdinalIgnoreCase);

    public static bool IsInlineImage(string? contentType) => contentType is not null && InlineImageTypes.Contains(contentType);

    /// <summary>
    /// A file's extension as its type icon shows it, as a regular expression that means the same in .NET and JavaScript.
    /// Written once: <see cref="Badge"/> applies it here, and the page hands it to render.js fileBadge().
    /// </summary>
    public const string BadgePattern = @"\.([A-Za-z0-9]{1,4})$";

    private static readonly Regex BadgeExtension = new(BadgePattern, RegexOptions.CultureInvariant);

    /// <summary>The label of a file's type icon: its extension, upper case; FILE when it has none that fits.</summary>
    public static string Badge(string? name)
    {
        var match = BadgeExtension.Match(name ?? "");
        // .NET's $ also matches before a final line break, JavaScript's does not: the match must end the name.
        return match.Success && match.Index + match.Length == name!.Length ? match.Groups[1].Value.ToUpperInvariant() : "FILE";
    }

    /// <summary>Bytes for people; render.js formatSize() writes the same in the browser.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
    };
}
