using System.Globalization;

namespace ChatApp.Pages;

/// <summary>How the page shows a shared file; wwwroot/js/render.js follows the same rules.</summary>
public static class FileDisplay
{
    // Only raster formats: an SVG could carry script, so it is offered as a download like any other file.
    private static readonly HashSet<string> InlineImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
    };

    public static bool IsInlineImage(string? contentType) => contentType is not null && InlineImageTypes.Contains(contentType);

    /// <summary>The label of a file's type icon: its extension, upper case (render.js fileBadge()).</summary>
    public static string Badge(string? name)
    {
        var extension = Path.GetExtension(name ?? "").TrimStart('.');
        return extension.Length is >= 1 and <= 4 && extension.All(char.IsAsciiLetterOrDigit) ? extension.ToUpperInvariant() : "FILE";
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
