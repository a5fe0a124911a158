using Microsoft.AspNetCore.DataProtection;

namespace ChatApp.Accounts;

/// <summary>
/// The HttpOnly, SameSite=Strict cookie that carries a browser's session token, encrypted with the
/// data-protection keys kept in Chat:DataDir so that a restart does not sign anyone out.
/// </summary>
public sealed class SessionCookie(IDataProtectionProvider protection)
{
    public const string Name = "chat_session";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private readonly IDataProtector _protector = protection.CreateProtector("ChatApp.SessionCookie.v1");

    public string? Read(HttpContext context)
    {
        var value = context.Request.Cookies[Name];
        if (string.IsNullOrEmpty(value)) return null;
        try { return _protector.Unprotect(value); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }

    public void Write(HttpContext context, string token) =>
        context.Response.Cookies.Append(Name, _protector.Protect(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });

    public void Delete(HttpContext context) => context.Response.Cookies.Delete(Name, new CookieOptions { Path = "/" });
}
