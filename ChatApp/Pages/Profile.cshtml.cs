using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Profiles;
using ChatApp.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatApp.Pages;

/// <summary><c>GET /profile/{user}</c> (PROTOCOL.md §3): for anyone; each visit tells the owner who looked, by address.</summary>
public sealed class ProfileModel(AccountStore accounts, ChatRoom room, EventStore events, ProfileVisitThrottle visits) : PageModel
{
    public string RequestedName { get; private set; } = "";
    public UserAccount? Account { get; private set; }
    public bool Online { get; private set; }
    public long PublicMessages { get; private set; }

    public async Task<IActionResult> OnGetAsync(string user, CancellationToken cancellationToken)
    {
        RequestedName = user;
        Account = await accounts.FindAsync(user, cancellationToken);
        if (Account is null)
        {
            // No such user: a page that says so, and nobody to notify.
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        var online = await room.RosterAsync(cancellationToken);
        Online = online.Contains(Account.Name, Names.Comparer);
        PublicMessages = await events.PublicMessageCountAsync(Account.Name, Account.VisibleFromId, cancellationToken);
        var visitor = VisitorAddress.Of(HttpContext);
        if (await visits.ShouldNotifyAsync(Account.Name, visitor, cancellationToken)) await room.VisitProfileAsync(Account.Name, visitor, cancellationToken);
        return Page();
    }
}
