using System.Net;
using System.Net.Sockets;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the tests' servers (ChatApp in-process or as a process, redis-server), taken below the
/// kernel's ephemeral range: a port the OS hands out itself (port 0) can be given to any outgoing connection — the
/// tests open thousands — between our check and the server's bind ("address already in use"). Below that range
/// only another listener can take it. Each run starts at a random point and every port is checked free.
/// </summary>
internal static class TestPorts
{
    private const int First = 10_000;
    private static readonly int End = Math.Max(First + 1_000, Math.Min(EphemeralStart(), 32_768));
    private static int _next = Random.Shared.Next(End - First);

    public static int Next()
    {
        for (var tries = 0; tries < End - First; tries++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % (uint)(End - First));
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) { } // taken: the next one
        }
        throw new InvalidOperationException($"No free loopback port in {First}-{End - 1}");
    }

    /// <summary>The first port of Linux's ephemeral range (32768 when it cannot be read).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
