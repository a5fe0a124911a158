using ChatApp.Chat;

namespace ChatApp.Accounts;

/// <summary><c>/api/session</c> and <c>/api/account/password</c> (PROTOCOL.md §1).</summary>
public static class SessionEndpoints
{
    private const int MaxPasswordLength = 256;

    public sealed record SessionRequest(string? Name, string? Password);
    public sealed record PasswordRequest(string? Password);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/session", async (HttpContext http, AccountStore accounts, SessionCookie cookie) =>
            await ReadJsonAsync<SessionRequest>(http) is { } request
                ? Claim(http, accounts, cookie, request)
                : BadRequest("bad_request"));

        app.MapPost("/api/account/password", async (HttpContext http, AccountStore accounts) =>
        {
            var request = await ReadJsonAsync<PasswordRequest>(http);
            if (request?.Password is not { Length: > 0 and <= MaxPasswordLength } password) return BadRequest("bad_password");
            accounts.SetPassword(http.ChatUser()!.Name, password);
            return Results.Ok(new { ok = true });
        }).RequireAuthorization();

        app.MapDelete("/api/session", (HttpContext http, AccountStore accounts, SessionCookie cookie) =>
        {
            if (http.SessionToken() is { } token) accounts.SignOut(token);
            cookie.Delete(http);
            return Results.NoContent();
        });
        return app;
    }

    private static IResult Claim(HttpContext http, AccountStore accounts, SessionCookie cookie, SessionRequest request)
    {
        if (request.Password is { Length: > MaxPasswordLength }) return BadRequest("bad_password");
        var result = accounts.Claim(request.Name, request.Password, http.SessionToken());
        if (result.Error is { } error)
            return Results.Json(new { error }, statusCode: error == "name_taken" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        cookie.Write(http, result.Token!);
        return Results.Ok(new { name = result.Name, token = result.Token });
    }

    private static IResult BadRequest(string error) => Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>The request body as JSON, or null when it is not JSON of that shape.</summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext http) where T : class
    {
        try { return await http.Request.ReadFromJsonAsync<T>(http.RequestAborted); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException) { return null; }
    }
}
