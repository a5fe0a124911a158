using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Connections;
using Microsoft.Net.Http.Headers;

namespace ChatApp.Api;

/// <summary>
/// Cross-site request forgery (PROTOCOL.md §1): an API request that changes something (POST, PATCH, DELETE on
/// <c>/api/...</c>) and carries the session cookie without a bearer token must come from this site's own pages:
/// an <c>Origin</c> of this site or <c>Sec-Fetch-Site: same-origin</c> (else <c>403 forbidden_origin</c>), and a
/// body, if any, of <c>Content-Type: application/json</c> (else <c>415 unsupported_media_type</c>), which another
/// site's form or no-CORS fetch cannot send. A bearer token is never sent by a browser on its own, so it needs neither.
/// </summary>
public static class CrossSiteRequestGuard
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (Refusal(http.Request) is { } refusal)
            {
                await ApiError.WriteAsync(http, refusal.Status, refusal.Code, refusal.Message);
                return;
            }
            await next(http);
        });

    private static (int Status, string Code, string Message)? Refusal(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/api") || !ChangesSomething(request.Method)) return null;
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        if (!request.Cookies.ContainsKey(SessionCookie.Name)) return null;
        if (!FromThisSite(request))
            return (StatusCodes.Status403Forbidden, "forbidden_origin", "A request signed in by the session cookie must come from this site (Origin).");
        if (HasBody(request) && !IsJson(request.ContentType))
            return (StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "The body must be Content-Type: application/json.");
        return null;
    }

    private static bool ChangesSomething(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPut(method);

    private static bool FromThisSite(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"].ToString() == "same-origin") return true;
        return Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin) && OriginPolicy.IsThisSite(request, origin);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
