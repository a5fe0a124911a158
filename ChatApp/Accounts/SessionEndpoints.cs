using ChatApp.Chat;
using Microsoft.AspNetCore.Mvc;

namespace ChatApp.Accounts;

/// <summary><c>/api/session</c> and <c>/api/account/password</c> (PROTOCOL.md §1).</summary>
public static class SessionEndpoints
{
    public sealed record SessionRequest(string? Name, string? Password);
    public sealed record PasswordRequest(string? Password);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        // A name and a password: a few KiB at most, refused unread beyond that.
        var accountBody = new RequestSizeLimitAttribute(Limits.AccountBodyBytes);

        app.MapPost("/api/session", async (HttpContext http, AccountStore accounts, SessionCookie cookie) =>
        {
            var (request, refusal) = await ReadJsonAsync<SessionRequest>(http);
            return request is null ? refusal! : await ClaimAsync(http, accounts, cookie, request);
        }).WithMetadata(accountBody);

        app.MapPost("/api/account/password", async (HttpContext http, AccountStore accounts) =>
        {
            var (request, refusal) = await ReadJsonAsync<PasswordRequest>(http);
            if (request is null) return refusal!;
            if (request.Password is not { Length: > 0 and <= Limits.MaxPasswordLength } password)
                return ApiError.Result(StatusCodes.Status400BadRequest, "bad_password", PasswordRule);
            await accounts.SetPasswordAsync(http.ChatUser()!.Name, password, http.RequestAborted);
            return Results.Ok(new { ok = true });
        }).RequireAuthorization().WithMetadata(accountBody);

        app.MapDelete("/api/session", async (HttpContext http, AccountStore accounts, SessionCookie cookie) =>
        {
            if (http.SessionToken() is { } token) await accounts.SignOutAsync(token, http.RequestAborted);
            cookie.Delete(http);
            return Results.NoContent();
        });
        return app;
    }

    public static readonly string PasswordRule = $"A password is 1 to {Limits.MaxPasswordLength} characters.";

    /// <summary>The human sentence for each refusal of a claim, shared by the API and the join form.</summary>
    public static string Explain(string error) => error switch
    {
        "bad_name" => $"A name is 1 to {Limits.MaxNameLength} letters, digits, “_”, “-” or “.” (and not “system” or a look-alike of it).",
        "name_taken" => "That name (or one that looks just like it) is taken. If it is yours, enter its password too.",
        "bad_password" => $"A password is at most {Limits.MaxPasswordLength} characters.",
        "rate_limited" => "Too many tries; wait a moment and try again.",
        _ => "That name cannot be used.",
    };

    public static int StatusOf(string error) => error switch
    {
        "name_taken" => StatusCodes.Status409Conflict,
        "rate_limited" => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status400BadRequest,
    };

    private static async Task<IResult> ClaimAsync(HttpContext http, AccountStore accounts, SessionCookie cookie, SessionRequest request)
    {
        var result = await accounts.ClaimAsync(request.Name, request.Password, http.SessionToken(), http.RequestAborted);
        if (result.Error is { } error)
        {
            if (result.RetryAfter is { } wait) SignInRateLimit.SetRetryAfter(http.Response, wait);
            return ApiError.Result(StatusOf(error), error, Explain(error));
        }
        cookie.Write(http, result.Token!);
        return Results.Ok(new { name = result.Name, token = result.Token });
    }

    /// <summary>The request body as JSON of that shape, or the refusal: <c>413 too_large</c> over the endpoint's cap, else <c>400 bad_request</c>.</summary>
    private static async Task<(T? Request, IResult? Refusal)> ReadJsonAsync<T>(HttpContext http) where T : class
    {
        try
        {
            if (await http.Request.ReadFromJsonAsync<T>(http.RequestAborted) is { } request) return (request, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiError.Result(StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is larger than {Limits.AccountBodyBytes} bytes."));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or BadHttpRequestException) { }
        return (null, ApiError.Result(StatusCodes.Status400BadRequest, "bad_request", "The body must be a JSON object."));
    }
}
