using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Files;
using Microsoft.Extensions.Options;

namespace ChatApp.Connections;

/// <summary>
/// What every <c>/ws</c> socket goes through, whichever way it arrived (the endpoint, or <see cref="DirectWebSockets"/>
/// below HTTP): one rule for who may open it, and one life once open.
/// </summary>
public sealed class WebSocketChat(
    ChatRoom room, DraftBuilder drafts, OriginPolicy origins, IOptions<ChatOptions> options, AccountStore accounts,
    SessionCookie cookie, ILogger<WebSocketConnection> log, FileStore files, IHostApplicationLifetime lifetime, ChatMetrics metrics)
{
    /// <summary>The signed-in user the request may open a socket for, or the refusal (PROTOCOL.md §2, §3).</summary>
    public async ValueTask<(ChatUser? User, ApiRefusal? Refusal)> AdmitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (await accounts.AuthenticateAsync(SessionTokens.Find(request, cookie), cancellationToken) is not { } user)
            return (null, new(StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first (session cookie, bearer token or access_token)."));
        if (!origins.Allows(request))
            return (null, new(StatusCodes.Status403Forbidden, "forbidden_origin", "Pages of other sites may not open this socket."));
        return (user, null);
    }

    /// <summary>The <c>since</c> a client resumes from, or null (PROTOCOL.md §2.3).</summary>
    public static long? Since(IQueryCollection query) => long.TryParse(query["since"], out var since) && since >= 0 ? since : null;

    /// <summary>Runs the socket until it closes.</summary>
    public async Task ServeAsync(SocketUpgrade upgrade, ChatUser user, long? since)
    {
        var connection = new WebSocketConnection(upgrade, user, room, drafts, options, log, files, lifetime.ApplicationStopping, metrics: metrics);
        metrics.ConnectionOpened();
        try { await connection.RunAsync(since); }
        finally { metrics.ConnectionClosed(); }
        // "Last seen" on the profile page is when the user's connection closed, not when it opened.
        await accounts.MarkSeenAsync(user.Name);
    }
}
