using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Connections;
using ChatApp.Diagnostics;

namespace ChatApp.Stomp;

/// <summary>What every <c>/stomp</c> socket goes through, whichever way it arrived (the endpoint, or <see cref="DirectWebSockets"/>).</summary>
public sealed class StompChat(StompServices services, OriginPolicy origins, SessionCookie cookie, ChatMetrics metrics)
{
    /// <summary>Why the request may not open a socket (a page of another site), or null. Signing in waits for CONNECT.</summary>
    public ApiRefusal? Refusal(HttpRequest request) =>
        origins.Allows(request) ? null : new(StatusCodes.Status403Forbidden, "forbidden_origin", "Pages of other sites may not open this socket.");

    /// <summary>The user the upgrade request is signed in as (cookie, bearer, access_token), or null: CONNECT may then omit the passcode.</summary>
    public ValueTask<ChatUser?> SignedInAsync(HttpRequest request, CancellationToken cancellationToken) =>
        services.Accounts.AuthenticateAsync(SessionTokens.Find(request, cookie), cancellationToken);

    /// <summary>Runs the socket until it closes.</summary>
    public async Task ServeAsync(SocketUpgrade upgrade, string? subProtocol, ChatUser? signedIn, string connectionId, string visitorAddress)
    {
        metrics.ConnectionOpened();
        try { await new StompConnection(upgrade, services, subProtocol, signedIn, connectionId, visitorAddress).RunAsync(); }
        finally { metrics.ConnectionClosed(); }
    }
}
