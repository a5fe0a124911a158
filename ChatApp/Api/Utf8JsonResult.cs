namespace ChatApp.Api;

/// <summary>JSON already serialised (by <see cref="Chat.ChatEventJson"/>), written as it is with a status code.</summary>
public sealed class Utf8JsonResult(byte[] body, int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
