using ChatApp.Accounts;
using ChatApp.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChatApp.Pages;

/// <summary>
/// <c>GET /</c>: the join form, or the room with its recent history rendered on the server. Every action is a
/// real form post (join, send, set password, sign out), so the page works without JavaScript; the script
/// upgrades it to the live client.
/// </summary>
public sealed class IndexModel(AccountStore accounts, SessionCookie cookie, ChatRoom room, DraftBuilder drafts, IOptions<ChatOptions> options) : PageModel
{
    public ChatUser? Reader { get; private set; }
    public RecentTalk Recent { get; private set; } = new([], 0);
    public IReadOnlyList<string> Online { get; private set; } = [];
    public int MaxMessageLength => options.Value.MaxMessageLength;
    public long MaxFileBytes => options.Value.MaxFileBytes;
    public int MaxNameLength => Limits.MaxNameLength;
    public int MaxPasswordLength => Limits.MaxPasswordLength;
    public int MaxClientIdLength => Limits.MaxClientIdLength;
    public int NameReleaseDays => options.Value.NameReleaseDays;

    /// <summary>Whether the reader's name has a password: without one, signing out gives the name up (they are told first).</summary>
    public bool HasPassword { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }
    public string? JoinError { get; private set; }

    [BindProperty] public string? Text { get; set; }

    /// <summary>Makes a form post idempotent: posting the same form twice stores one message.</summary>
    [BindProperty] public string ClientId { get; set; } = NewClientId();
    public string? MessageError { get; private set; }

    [BindProperty] public string? NewPassword { get; set; }
    public string? AccountError { get; private set; }

    /// <summary>A one-time notice after a redirect ("Password set.").</summary>
    [TempData] public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadRoomAsync(cancellationToken);

    public async Task<IActionResult> OnPostJoinAsync(CancellationToken cancellationToken)
    {
        var result = await accounts.ClaimAsync(Name?.Trim(), Password, HttpContext.SessionToken(), cancellationToken);
        if (result.Error is { } error)
        {
            if (result.RetryAfter is { } wait) SignInRateLimit.SetRetryAfter(Response, wait);
            return await JoinRefusedAsync(error, cancellationToken);
        }
        cookie.Write(HttpContext, result.Token!);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostMessageAsync(CancellationToken cancellationToken)
    {
        if (HttpContext.ChatUser() is not { } user) return RedirectToPage();
        var (to, text) = MessageCommand.Parse(Text);
        var (draft, refusal) = await drafts.MessageAsync(text, to, string.IsNullOrEmpty(ClientId) ? null : ClientId[..Math.Min(ClientId.Length, Limits.MaxClientIdLength)], cancellationToken);
        if (draft is not null)
        {
            var result = await room.PostAndWaitAsync(user, draft, origin: null, cancellationToken);
            refusal = result.Error;
        }
        if (refusal is null) return RedirectToPage(); // post-redirect-get: a reload does not post again
        MessageError = refusal.Message;
        Response.StatusCode = refusal.HttpStatus;
        await LoadRoomAsync(cancellationToken); // the text stays in the box
        return Page();
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        if (HttpContext.ChatUser() is not { } user) return RedirectToPage();
        if (NewPassword is not { Length: > 0 and <= Limits.MaxPasswordLength } password)
        {
            AccountError = SessionEndpoints.PasswordRule;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadRoomAsync(cancellationToken);
            return Page();
        }
        await accounts.SetPasswordAsync(user.Name, password, cancellationToken);
        Notice = "Password set: sign in with it on another device.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutAsync(CancellationToken cancellationToken)
    {
        if (HttpContext.SessionToken() is { } token) await accounts.SignOutAsync(token, cancellationToken);
        cookie.Delete(HttpContext);
        return RedirectToPage();
    }

    private async Task<IActionResult> JoinRefusedAsync(string error, CancellationToken cancellationToken)
    {
        JoinError = SessionEndpoints.Explain(error);
        Response.StatusCode = SessionEndpoints.StatusOf(error);
        await LoadRoomAsync(cancellationToken);
        return Page();
    }

    private async Task LoadRoomAsync(CancellationToken cancellationToken)
    {
        Reader = HttpContext.ChatUser();
        if (Reader is null) return;
        HasPassword = (await accounts.FindAsync(Reader.Name, cancellationToken))?.PasswordHash is not null;
        Recent = await room.RecentTalkAsync(Reader, cancellationToken);
        Online = await room.RosterAsync(cancellationToken);
    }

    private static string NewClientId() => "form-" + Guid.NewGuid().ToString("N");
}
