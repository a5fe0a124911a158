using System.Buffers;
using System.Text;

namespace ChatApp.Connections;

/// <summary>
/// The head of a plain <c>GET /ws</c> or <c>GET /stomp</c> WebSocket upgrade (RFC 9112 §2–5, RFC 6455 §4.1), read strictly from a
/// connection's first bytes for <see cref="DirectWebSockets"/>. Whatever it does not understand completely — another
/// path, a head cut across reads or over <see cref="MaxHeadBytes"/>, folded lines, bytes outside visible ASCII,
/// a repeated header that matters, a body, forwarding headers beyond X-Forwarded-For/-Proto/-Host — is not a head (<see cref="TryParse"/> gives null),
/// and the connection goes to Kestrel's HTTP/1 parser unchanged, which answers malformed requests with 400.
/// </summary>
public sealed class UpgradeRequestHead
{
    /// <summary>Heads longer than this go to Kestrel (its own cap is 32 KiB).</summary>
    public const int MaxHeadBytes = 8 * 1024;

    /// <summary>Headers past this count go to Kestrel (its own cap is 100).</summary>
    public const int MaxHeaders = 64;

    private static readonly byte[] Prefix = "GET /"u8.ToArray();
    private static readonly byte[] Version = " HTTP/1.1\r\n"u8.ToArray();
    private static readonly byte[] End = "\r\n\r\n"u8.ToArray();

    private UpgradeRequestHead(int length) => Length = length;

    /// <summary>Bytes of the head, its final empty line included: what the connection has used up.</summary>
    public int Length { get; }

    /// <summary>The endpoint: <see cref="WebSocketPath"/> or <see cref="StompPath"/>.</summary>
    public string Path { get; private set; } = WebSocketPath;

    public const string WebSocketPath = "/ws";
    public const string StompPath = "/stomp";

    /// <summary>The query string after the path, with its <c>?</c>, or empty.</summary>
    public string Query { get; private set; } = "";

    /// <summary>Sec-WebSocket-Protocol as sent (the subprotocols the client offers, comma-separated), or null.</summary>
    public string? SubProtocols { get; private set; }

    public string Host { get; private set; } = "";
    public string? Origin { get; private set; }
    public string? Authorization { get; private set; }
    public string? Cookie { get; private set; }

    /// <summary>X-Forwarded-For, -Proto and -Host, each at most once: applied only from a trusted proxy, as by the pipeline.</summary>
    public string? ForwardedFor { get; private set; }
    public string? ForwardedProto { get; private set; }
    public string? ForwardedHost { get; private set; }

    /// <summary>Sec-WebSocket-Key: 16 random bytes in base64, checked.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The head at the start of <paramref name="buffer"/>, or null when it is not a whole, plain <c>/ws</c> or <c>/stomp</c> upgrade.</summary>
    public static UpgradeRequestHead? TryParse(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment) return TryParse(buffer.FirstSpan);
        var length = (int)Math.Min(buffer.Length, MaxHeadBytes);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return TryParse(copy.AsSpan(0, length));
        }
        finally { ArrayPool<byte>.Shared.Return(copy); }
    }

    public static UpgradeRequestHead? TryParse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxHeadBytes) bytes = bytes[..MaxHeadBytes];
        var end = bytes.IndexOf(End);
        if (end < 0 || !bytes.StartsWith(Prefix)) return null;
        var head = new UpgradeRequestHead(end + End.Length);
        var text = bytes[..(end + 2)]; // every line with its CRLF

        // Request line: GET /ws[?query] or /stomp[?query] HTTP/1.1 — origin-form only, the path exactly one of the two.
        var lineEnd = text.IndexOf("\r\n"u8);
        var line = text[..(lineEnd + 2)];
        var afterMethod = line["GET "u8.Length..];
        var space = afterMethod.IndexOf((byte)' ');
        if (space < 0 || !afterMethod[space..].SequenceEqual(Version)) return null;
        var target = afterMethod[..space]; // starts with / (Prefix)
        foreach (var b in target) if (b is < 0x21 or > 0x7E) return null;
        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        if (path.SequenceEqual("/ws"u8)) head.Path = WebSocketPath;
        else if (path.SequenceEqual("/stomp"u8)) head.Path = StompPath;
        else return null; // /wsx, /ws/..., another endpoint
        head.Query = query < 0 ? "" : Encoding.ASCII.GetString(target[query..]);

        string? upgrade = null, connection = null, version = null, key = null, host = null, origin = null, authorization = null, cookie = null, protocols = null;
        string? forwardedFor = null, forwardedProto = null, forwardedHost = null;
        var count = 0;
        text = text[(lineEnd + 2)..];
        while (!text.IsEmpty)
        {
            if (++count > MaxHeaders) return null;
            lineEnd = text.IndexOf("\r\n"u8);
            line = text[..lineEnd];
            text = text[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) return null; // also a folded line (starts with a space) or a bare CR
            var name = line[..colon];
            foreach (var b in name) if (!IsTokenChar(b)) return null;
            var raw = line[(colon + 1)..];
            foreach (var b in raw) if (b != (byte)'\t' && b is < 0x20 or > 0x7E) return null;
            var value = Encoding.ASCII.GetString(raw.Trim(" \t"u8));

            switch (Encoding.ASCII.GetString(name).ToLowerInvariant())
            {
                case "host": if (!Once(ref host, value)) return null; break;
                case "origin": if (!Once(ref origin, value)) return null; break;
                case "authorization": if (!Once(ref authorization, value)) return null; break;
                case "cookie": if (!Once(ref cookie, value)) return null; break;
                case "upgrade": if (!Once(ref upgrade, value)) return null; break;
                case "connection": if (!Once(ref connection, value)) return null; break;
                case "sec-websocket-key": if (!Once(ref key, value)) return null; break;
                case "sec-websocket-version": if (!Once(ref version, value)) return null; break;
                case "sec-websocket-protocol": if (!Once(ref protocols, value)) return null; break;
                // What a proxy says about the client, believed or not as the pipeline would (DirectWebSockets).
                case "x-forwarded-for": if (!Once(ref forwardedFor, value)) return null; break;
                case "x-forwarded-proto": if (!Once(ref forwardedProto, value)) return null; break;
                case "x-forwarded-host": if (!Once(ref forwardedHost, value)) return null; break;
                // A body, or forwarding headers the pipeline does not read: Kestrel's pipeline decides.
                case "content-length" or "transfer-encoding" or "forwarded" or "expect": return null;
                case var other when other.StartsWith("x-forwarded-", StringComparison.Ordinal): return null;
            }
        }

        if (string.IsNullOrEmpty(host) || !"websocket".Equals(upgrade, StringComparison.OrdinalIgnoreCase) || version != "13"
            || connection is null || !HasToken(connection, "upgrade") || !IsKey(key))
            return null;
        head.Host = host;
        head.Key = key!;
        head.Origin = origin;
        head.Authorization = authorization;
        head.Cookie = cookie;
        head.SubProtocols = protocols;
        head.ForwardedFor = forwardedFor;
        head.ForwardedProto = forwardedProto;
        head.ForwardedHost = forwardedHost;
        return head;
    }

    private static bool Once(ref string? slot, string value)
    {
        if (slot is not null) return false;
        slot = value;
        return true;
    }

    private static bool HasToken(string list, string token)
    {
        foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
            if (part.Equals(token, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool IsKey(string? key)
    {
        Span<byte> nonce = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, nonce, out var written) && written == 16;
    }

    // tchar (RFC 9110 §5.6.2)
    private static bool IsTokenChar(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
        || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}
