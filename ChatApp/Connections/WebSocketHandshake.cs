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

    /// <summary>Sends 101 Switching Protocols and returns the connection's stream.</summary>
    public static Task<Stream> AcceptAsync(HttpContext context)
    {
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        var response = context.Response;
        response.Headers.Upgrade = "websocket";
        response.Headers.SecWebSocketAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        return context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
    }
}
