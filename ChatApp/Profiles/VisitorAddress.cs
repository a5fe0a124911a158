using System.Net;

namespace ChatApp.Profiles;

/// <summary>The address a request came from (after trusted proxies' forwarding), as people write it.</summary>
public static class VisitorAddress
{
    public static string Of(HttpContext http) => Format(http.Connection.RemoteIpAddress);

    /// <summary>IPv4 clients of a dual-stack socket appear as <c>::ffff:a.b.c.d</c>; show them as <c>a.b.c.d</c>.</summary>
    public static string Format(IPAddress? address) => address switch
    {
        null => "an unknown address",
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        _ => address.ToString(),
    };
}
