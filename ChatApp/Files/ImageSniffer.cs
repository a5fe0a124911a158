namespace ChatApp.Files;

/// <summary>
/// Recognises the raster images a browser may show inline by their first bytes, never by the type the
/// uploader declared: a page or an SVG (which can carry script) must not pass as an image.
/// </summary>
public static class ImageSniffer
{
    /// <summary>Bytes enough to tell every recognised format apart (WebP needs twelve).</summary>
    public const int HeaderBytes = 12;

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    /// <summary>The image's real content type, or null when it is not a raster image we show inline.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(PngSignature)) return "image/png";
        if (head.StartsWith(JpegSignature)) return "image/jpeg";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return "image/gif";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }

    /// <summary>Reads the start of a stored file and detects its image type.</summary>
    public static async Task<string?> DetectAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[HeaderBytes];
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0);
        var read = await file.ReadAtLeastAsync(head, HeaderBytes, throwOnEndOfStream: false, cancellationToken);
        return Detect(head.AsSpan(0, read));
    }
}
