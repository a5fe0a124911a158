using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatApp.Chat;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatApp.Accounts;

/// <summary>
/// Signs a request in by its session cookie, an <c>Authorization: Bearer</c> token, or (WebSocket
/// endpoints only, where browsers cannot set headers) <c>?access_token=</c> (PROTOCOL.md §1).
/// </summary>
public sealed class ChatAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountStore accounts,
    SessionCookie cookie) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Chat";
    public const string TokenClaim = "chat:token";
    public const string VisibleFromClaim = "chat:visible-from";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = SessionTokens.Find(Request, cookie);
        if (token is null) return AuthenticateResult.NoResult();
        var user = await accounts.AuthenticateAsync(token, Context.RequestAborted);
        if (user is null) return AuthenticateResult.Fail("unknown or signed-out session");
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, user.Name),
                new Claim(TokenClaim, token),
                new Claim(VisibleFromClaim, user.VisibleFromId.ToString()),
            ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiError.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first (session cookie or bearer token).");
}
