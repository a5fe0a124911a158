using System.Security.Claims;
using ChatApp.Chat;

namespace ChatApp.Accounts;

public static class HttpContextUserExtensions
{
    /// <summary>The signed-in chat user of this request, or null.</summary>
    public static ChatUser? ChatUser(this HttpContext context)
    {
        var principal = context.User;
        if (principal.Identity is not { IsAuthenticated: true, Name: { } name }) return null;
        _ = long.TryParse(principal.FindFirstValue(ChatAuthenticationHandler.VisibleFromClaim), out var visibleFrom);
        return new ChatUser(name, visibleFrom);
    }

    public static string? SessionToken(this HttpContext context) =>
        context.User.FindFirstValue(ChatAuthenticationHandler.TokenClaim);
}
