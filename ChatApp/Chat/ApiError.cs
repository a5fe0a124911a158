namespace ChatApp.Chat;

/// <summary>The one shape of every HTTP error body (PROTOCOL.md §3): <c>{"error":code,"message":text,"clientId"?}</c>.</summary>
public static class ApiError
{
    public static IResult Result(int status, string code, string message, string? clientId = null) =>
        Results.Json(Body(code, message, clientId), statusCode: status);

    /// <summary>A refusal of the room's rules, with the status it has over HTTP.</summary>
    public static IResult Result(ChatError error, string? clientId = null) =>
        Result(error.HttpStatus, error.Code, error.Message, clientId);

    /// <summary>For middleware and handlers that write the response themselves.</summary>
    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(Body(code, message, null), http.RequestAborted);
    }

    private static Dictionary<string, string> Body(string code, string message, string? clientId)
    {
        var body = new Dictionary<string, string> { ["error"] = code, ["message"] = message };
        if (clientId is not null) body["clientId"] = clientId;
        return body;
    }
}
