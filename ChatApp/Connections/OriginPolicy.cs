using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary>
/// Refuses WebSocket requests from other sites' pages (cross-site WebSocket hijacking): a request with an
/// Origin must come from this site or from Chat:AllowedOrigins. Requests without Origin are not from browsers.
/// </summary>
public sealed class OriginPolicy(IOptions<ChatOptions> options)
{
    public bool Allows(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var self = $"{request.Scheme}://{request.Host.Value}";
        if (string.Equals(origin.TrimEnd('/'), self, StringComparison.OrdinalIgnoreCase)) return true;
        return options.Value.AllowedOrigins.Any(allowed =>
            Uri.TryCreate(allowed, UriKind.Absolute, out var a)
            && a.Scheme.Equals(uri.Scheme, StringComparison.OrdinalIgnoreCase)
            && a.Host.Equals(uri.Host, StringComparison.OrdinalIgnoreCase)
            && a.Port == uri.Port);
    }
}
