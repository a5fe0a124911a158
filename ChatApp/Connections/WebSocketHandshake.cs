using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace ChatApp.Connections;

/// <summary>
/// Accepts a WebSocket upgrade by hand (RFC 6455 §4.2.2), so the connection's raw stream is ours and
/// pre-framed bytes can be written to it directly, many frames in one write.
/// </summary>
public static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static bool IsUpgrade(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && "websocket".Equals(context.Request.Headers.Upgrade.ToString(), StringComparison.OrdinalIgnoreCase)
        && context.Request.Headers.SecWebSocketKey.ToString().Length > 0
        && context.Request.Headers.SecWebSocketVersion.ToString() == "13";

    /// <summary>The first of <paramref name="supported"/> (best first) that the client offers in Sec-WebSocket-Protocol, or null.</summary>
    public static string? SelectSubProtocol(HttpContext context, IReadOnlyList<string> supported) =>
        SelectSubProtocol(context.Request.Headers.SecWebSocketProtocol, supported);

    /// <summary>The first of <paramref name="supported"/> (best first) among the comma-separated <paramref name="offered"/>, or null.</summary>
    public static string? SelectSubProtocol(IEnumerable<string?> offered, IReadOnlyList<string> supported)
    {
        var offers = offered
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        return supported.FirstOrDefault(offers.Contains);
    }

    /// <summary>Sec-WebSocket-Accept for the client's Sec-WebSocket-Key (RFC 6455 §4.2.2).</summary>
    public static string AcceptKey(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    /// <summary>Sends 101 Switching Protocols (echoing <paramref name="subProtocol"/>, if any) and returns the connection's stream.</summary>
    public static Task<Stream> AcceptAsync(HttpContext context, string? subProtocol = null)
    {
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        var response = context.Response;
        response.Headers.Upgrade = "websocket";
        response.Headers.SecWebSocketAccept = AcceptKey(key);
        // A client that offered subprotocols and gets none echoed fails the handshake (rabbitmq-web-stomp#53).
        if (subProtocol is not null) response.Headers.SecWebSocketProtocol = subProtocol;
        return context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
    }

    /// <summary>
    /// A pipe over an upgraded request's stream for the outbox to copy frames into; each flush is one write to the stream.
    /// Its blocks come from the sockets' own pool (<see cref="TrimmableBlockPool"/>), not the shared array pool, which a
    /// thousand busy connections drain.
    /// </summary>
    public static PipeWriter WriterOver(Stream upgraded, HttpContext context) =>
        PipeWriter.Create(upgraded, new StreamPipeWriterOptions(
            pool: context.RequestServices.GetRequiredService<TrimmableBlockPool>(), minimumBufferSize: 4096, leaveOpen: true));
}
