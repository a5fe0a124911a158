using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ChatApp.Connections;

/// <summary>
/// Takes plain <c>GET /ws</c> and <c>GET /stomp</c> upgrades off a connection before Kestrel's HTTP/1 layer sees it (Chat:DirectWebSockets):
/// an idle socket then keeps no HTTP connection, request, headers or pipeline state for the hours it stays open,
/// about a third of what one cost (the figures are in the README). The request's head is read strictly
/// (<see cref="UpgradeRequestHead"/>) and admitted by the same rule as the endpoint's (<see cref="WebSocketChat.AdmitAsync"/>,
/// <see cref="Stomp.StompChat.Refusal"/>).
/// Anything else — another request, a head it does not take, a refusal, a failure — goes on to Kestrel with every
/// byte unread, and the pipeline answers it exactly as before.
/// </summary>
public static class DirectWebSockets
{
    /// <summary>How long a new connection may stay silent before it is left to Kestrel's own timeouts (on the app's clock).</summary>
    internal static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Every endpoint Kestrel listens on starts with the direct path.</summary>
    public static void UseDirectWebSockets(this KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen =>
        {
            Admission? admission = null; // built on the first connection: the application's services are complete by then
            listen.Use(next => connection => HandleAsync(connection, next, admission ??= new Admission(listen.ApplicationServices)));
        });

    /// <summary>What admitting a head takes: the endpoint's rule, the pipeline's reading of forwarding headers, and the app's clock.</summary>
    private sealed class Admission(IServiceProvider services)
    {
        public TimeProvider Clock { get; } = services.GetRequiredService<TimeProvider>();

        public WebSocketChat Chat { get; } = services.GetRequiredService<WebSocketChat>();

        public Stomp.StompChat Stomp { get; } = services.GetRequiredService<Stomp.StompChat>();

        public ForwardedHeadersMiddleware Forwarded { get; } = new(_ => Task.CompletedTask,
            services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<IOptions<ForwardedHeadersOptions>>());
    }

    private static async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next, Admission admission)
    {
        var input = connection.Transport.Input;
        // Kestrel's stop asks every connection to close and waits for each (up to the host's 30 s): one that has sent nothing
        // (a client's spare connection) is closed at once, as Kestrel closes an idle one, not left to the first bytes' wait.
        var closing = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        ReadResult read;
        try
        {
            using var silent = new CancellationTokenSource(FirstBytesTimeout, admission.Clock);
            using var silentOrClosing = CancellationTokenSource.CreateLinkedTokenSource(silent.Token, closing);
            read = await input.ReadAsync(silentOrClosing.Token);
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested) { return; }
        catch (OperationCanceledException)
        {
            await next(connection);
            return;
        }
        catch (Exception e) when (e is IOException or ConnectionAbortedException) { return; } // gone before a byte

        var head = read.IsCanceled ? null : UpgradeRequestHead.TryParse(read.Buffer);
        var serve = head is null ? null : await AdmitAsync(head, connection, admission);
        if (serve is null)
        {
            input.AdvanceTo(read.Buffer.Start); // nothing read: Kestrel parses the request from its first byte
            await next(connection);
            return;
        }
        input.AdvanceTo(read.Buffer.GetPosition(head!.Length));
        await serve();
    }

    /// <summary>
    /// What serves an admitted head's socket, or null: the request goes to the endpoint, which answers it there (a refusal,
    /// or storage unreachable while signing in).
    /// </summary>
    private static async ValueTask<Func<Task>?> AdmitAsync(UpgradeRequestHead head, ConnectionContext connection, Admission admission)
    {
        if (!HostIsPlain(head.Host)) return null;
        try
        {
            var http = RequestOf(head, connection, admission);
            if (head.Path == UpgradeRequestHead.StompPath)
            {
                if (admission.Stomp.Refusal(http.Request) is not null) return null;
                var signedIn = await admission.Stomp.SignedInAsync(http.Request, connection.ConnectionClosed);
                var subProtocol = WebSocketHandshake.SelectSubProtocol([head.SubProtocols], Stomp.StompVersions.SubProtocols);
                var address = Profiles.VisitorAddress.Of(http);
                return () => admission.Stomp.ServeAsync(new DirectSocketUpgrade(connection, head, subProtocol), subProtocol, signedIn, connection.ConnectionId, address);
            }
            var (user, _) = await admission.Chat.AdmitAsync(http.Request, connection.ConnectionClosed);
            if (user is null) return null;
            var since = WebSocketChat.Since(http.Request.Query);
            return () => admission.Chat.ServeAsync(new DirectSocketUpgrade(connection, head), user, since);
        }
        catch (Exception) { return null; } // storage unreachable (Redis down): the endpoint's path answers 503
    }

    /// <summary>
    /// The same request object the endpoint reads, so tokens, cookies, query and origin follow one set of rules; scheme, host and
    /// address as UseForwardedHeaders makes them: from a trusted proxy (Chat:TrustedProxies) only.
    /// </summary>
    private static DefaultHttpContext RequestOf(UpgradeRequestHead head, ConnectionContext connection, Admission admission)
    {
        var http = new DefaultHttpContext();
        var request = http.Request;
        request.Method = HttpMethods.Get;
        request.Scheme = connection.Features.Get<ITlsHandshakeFeature>() is null ? "http" : "https";
        request.Path = head.Path;
        request.QueryString = new QueryString(head.Query.Length == 0 ? null : head.Query);
        request.Host = new HostString(head.Host);
        if (head.Origin is not null) request.Headers.Origin = head.Origin;
        if (head.Authorization is not null) request.Headers.Authorization = head.Authorization;
        if (head.Cookie is not null) request.Headers.Cookie = head.Cookie;
        if (connection.RemoteEndPoint is IPEndPoint remote) (http.Connection.RemoteIpAddress, http.Connection.RemotePort) = (remote.Address, remote.Port);
        if (connection.LocalEndPoint is IPEndPoint local) (http.Connection.LocalIpAddress, http.Connection.LocalPort) = (local.Address, local.Port);
        if (head.ForwardedFor is not null) request.Headers[ForwardedHeadersDefaults.XForwardedForHeaderName] = head.ForwardedFor;
        if (head.ForwardedProto is not null) request.Headers[ForwardedHeadersDefaults.XForwardedProtoHeaderName] = head.ForwardedProto;
        if (head.ForwardedHost is not null) request.Headers[ForwardedHeadersDefaults.XForwardedHostHeaderName] = head.ForwardedHost;
        admission.Forwarded.ApplyForwarders(http);
        return http;
    }

    /// <summary>A host name, IPv4 or [IPv6] address and port, and nothing else; any other Host is Kestrel's to judge.</summary>
    private static bool HostIsPlain(string host)
    {
        foreach (var c in host)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']' or '_')) return false;
        return true;
    }
}
