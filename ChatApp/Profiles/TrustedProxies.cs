using System.Net;
using ChatApp.Chat;
using Microsoft.AspNetCore.HttpOverrides;

namespace ChatApp.Profiles;

/// <summary>
/// Whose <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> to believe: only the proxies in <c>Chat:TrustedProxies</c>
/// (addresses) and <c>Chat:TrustedNetworks</c> (CIDR). Anyone else could name any address, e.g. in a profile-visit
/// notice, or any site for the origin checks.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, ChatOptions options)
    {
        // Parsed now, so a wrong setting stops the server at start with its name instead of failing requests later.
        var proxies = options.TrustedProxies.Select(p => IPAddress.TryParse(p, out var ip) ? ip
            : throw new InvalidOperationException($"Chat:TrustedProxies: '{p}' is not an IP address.")).ToList();
        var networks = options.TrustedNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidOperationException($"Chat:TrustedNetworks: '{n}' is not a CIDR network such as 10.0.0.0/8.")).ToList();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // With both lists empty the middleware would believe every peer, so then it reads no headers at all.
            forwarded.ForwardedHeaders = proxies.Count + networks.Count > 0
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost
                : ForwardedHeaders.None;
            // The defaults trust loopback; here nothing is trusted unless configured.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds 127.0.0.0/8 and is still consulted
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var ip in proxies) forwarded.KnownProxies.Add(ip);
            foreach (var network in networks) forwarded.KnownIPNetworks.Add(network);
        });
        return services;
    }
}
