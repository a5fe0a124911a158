namespace ChatApp.Accounts;

/// <summary>Where a request carries its session token (PROTOCOL.md §1): bearer header, WebSocket query, or cookie.</summary>
public static class SessionTokens
{
    public static string? Find(HttpRequest request, SessionCookie cookie)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header[7..].Trim();
        // Browsers cannot set headers on a WebSocket, so the socket endpoints also take ?access_token=.
        if (request.Path.StartsWithSegments("/ws") || request.Path.StartsWithSegments("/stomp")
            || request.PathBase.StartsWithSegments("/ws") || request.PathBase.StartsWithSegments("/stomp"))
        {
            var query = request.Query["access_token"].ToString();
            if (query.Length > 0) return query;
        }
        return cookie.Read(request.HttpContext);
    }
}
