namespace ChatApp.Stomp;

/// <summary>The STOMP versions this server speaks, each with its WebSocket subprotocol and header escaping.</summary>
public enum StompVersion { V10, V11, V12 }

public static class StompVersions
{
    /// <summary>Best first: the handshake picks the first of these the client offers.</summary>
    public static readonly string[] SubProtocols = ["v12.stomp", "v11.stomp", "v10.stomp"];

    public static string Name(this StompVersion version) => version switch
    {
        StompVersion.V10 => "1.0",
        StompVersion.V11 => "1.1",
        _ => "1.2",
    };

    public static StompVersion? FromSubProtocol(string? subProtocol) => subProtocol switch
    {
        "v12.stomp" => StompVersion.V12,
        "v11.stomp" => StompVersion.V11,
        "v10.stomp" => StompVersion.V10,
        _ => null,
    };

    /// <summary>
    /// The highest version both sides accept: from <c>accept-version</c> (missing means 1.0), limited to the
    /// subprotocol's version when one was agreed. Null when there is none in common.
    /// </summary>
    public static StompVersion? Negotiate(string? acceptVersion, StompVersion? subProtocol)
    {
        var offered = (acceptVersion ?? "1.0").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        StompVersion? best = null;
        foreach (var v in offered)
        {
            StompVersion? version = v switch { "1.0" => StompVersion.V10, "1.1" => StompVersion.V11, "1.2" => StompVersion.V12, _ => null };
            if (version is null || (subProtocol is { } limit && version > limit)) continue;
            if (best is null || version > best) best = version;
        }
        return best;
    }
}
