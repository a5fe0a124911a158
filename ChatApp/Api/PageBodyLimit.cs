using ChatApp.Chat;
using Microsoft.AspNetCore.Http.Features;

namespace ChatApp.Api;

/// <summary>
/// A page's form post that declares a body over its endpoint's cap is answered <c>413 too_large</c> at once.
/// Without this the antiforgery check would read it first, meet Kestrel's limit and answer a vaguer 400.
/// (The API endpoints answer their own oversize refusals: <c>too_large</c>, or <c>too_long</c> for a message.)
/// </summary>
public static class PageBodyLimit
{
    public static IApplicationBuilder UsePageBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            if (!http.Request.Path.StartsWithSegments("/api") && http.Request.ContentLength > limit)
            {
                http.Response.Headers.Connection = "close"; // the unread body is not drained
                await ApiError.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is larger than {limit} bytes.");
                return;
            }
            await next(http);
        });
}
