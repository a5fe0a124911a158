using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary>
/// Refuses WebSocket requests from other sites' pages (cross-site WebSocket hijacking): a request with an
/// Origin must come from this site or from Chat:AllowedOrigins. Requests without Origin are not from browsers.
/// "This site" is the scheme and host the request was made to, as a trusted proxy forwards them
/// (X-Forwarded-Proto, X-Forwarded-Host), so a browser at https://chat.example behind a TLS-terminating proxy is this site.
/// </summary>
public sealed class OriginPolicy(IOptions<ChatOptions> options)
{
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        return IsThisSite(request, uri)
            || options.Value.AllowedOrigins.Any(allowed => Uri.TryCreate(allowed, UriKind.Absolute, out var a) && SameOrigin(a, uri));
    }

    /// <summary>Whether <paramref name="origin"/> is the scheme, host and port <paramref name="request"/> was made to.</summary>
    public static bool IsThisSite(HttpRequest request, Uri origin) =>
        Uri.TryCreate($"{request.Scheme}://{request.Host.Value}", UriKind.Absolute, out var self) && SameOrigin(self, origin);

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme.Equals(b.Scheme, StringComparison.OrdinalIgnoreCase)
        && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
