using ChatApp.Chat;

namespace ChatApp.Api;

/// <summary>
/// A request that failed because the storage is unreachable right now (see <see cref="IStorageOutage"/>) is
/// answered 503 <c>storage_unavailable</c> with <c>Retry-After</c>, in the API's error shape, instead of a 500:
/// the client hears that it may try again, and nothing else is lost.
/// </summary>
public static class StorageOutageAnswers
{
    private const string Message = "The chat cannot reach its storage right now; try again shortly.";

    /// <summary>When a client refused for an outage may try again.</summary>
    public const string RetryAfterSeconds = "5";

    public static IApplicationBuilder UseStorageOutageAnswers(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.Response.HasStarted && IStorageOutage.Any(http.RequestServices.GetServices<IStorageOutage>(), e))
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageOutageAnswers))
                .LogWarning(e, "{Method} {Path} answered 503: the storage is unavailable", http.Request.Method, http.Request.Path);
            http.Response.Clear();
            http.Response.Headers.RetryAfter = RetryAfterSeconds;
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                await ApiError.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, ChatError.StorageUnavailable.Code, Message);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(Message, http.RequestAborted);
        }
    });
}
