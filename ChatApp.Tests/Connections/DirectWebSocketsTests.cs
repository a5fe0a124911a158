using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatApp.Connections;
using ChatApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatApp.Tests.Connections;

/// <summary>
/// Plain <c>/ws</c> and <c>/stomp</c> upgrades taken below Kestrel's HTTP layer (Connections/DirectWebSockets.cs), seen from raw TCP:
/// the direct path answers 101 alone (Kestrel adds its Server and Date headers), and every other request reaches
/// Kestrel byte for byte.
/// </summary>
public sealed class DirectWebSocketsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ChatServer _server = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _server = await ChatServer.StartAsync();
        _token = await _server.SignInAsync("raw");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Head(string query, string extra = "") => Head(_server.Port, query, extra);

    private static string Head(int port, string query, string extra = "") =>
        $"GET /ws{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{extra}\r\n";

    [Fact]
    public async Task APlainUpgradeIsAnsweredBelowHttpAndTheSocketChats()
    {
        await using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync(Head($"?access_token={_token}"));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", head); // RFC 6455 §1.3's example
        Assert.DoesNotContain("Server:", head); // Kestrel's HTTP layer did not answer it
        Assert.Contains("\"type\":\"welcome\"", await raw.ReadTextFrameAsync());

        await raw.SendTextFrameAsync("""{"type":"message","text":"below http","clientId":"d1"}""");
        while (true)
        {
            var frame = await raw.ReadTextFrameAsync();
            if (frame.Contains("\"clientId\":\"d1\"")) { Assert.Contains("\"text\":\"below http\"", frame); break; }
        }
        await using var other = await _server.ConnectAsync(await _server.SignInAsync("reader"));
        Assert.Contains(other.Replay, e => e.TryGetProperty("text", out var text) && text.GetString() == "below http");
    }

    private static string StompHead(int port, string extra = "") =>
        $"GET /stomp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
        $"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v10.stomp, v11.stomp, v12.stomp\r\n{extra}\r\n";

    [Fact]
    public async Task APlainStompUpgradeIsAnsweredBelowHttpWithTheBestSubprotocolAndTheSessionChats()
    {
        await using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync(StompHead(_server.Port));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head);
        Assert.Contains("\r\nSec-WebSocket-Protocol: v12.stomp\r\n", head);
        Assert.DoesNotContain("Server:", head); // Kestrel's HTTP layer did not answer it

        await raw.SendTextFrameAsync($"CONNECT\naccept-version:1.2\nhost:x\nlogin:raw\npasscode:{_token}\n\n\0");
        var connected = await raw.ReadTextFrameAsync();
        Assert.StartsWith("CONNECTED\n", connected);
        Assert.Contains("\nversion:1.2\n", connected);
        await raw.SendTextFrameAsync("SUBSCRIBE\nid:0\ndestination:/topic/chat\n\n\0SEND\ndestination:/topic/chat\n\nbelow http over stomp\0");
        while (!(await raw.ReadTextFrameAsync()).Contains("below http over stomp")) { }
        await using var other = await _server.ConnectAsync(await _server.SignInAsync("stomp-reader"));
        Assert.Contains(other.Replay, e => e.TryGetProperty("text", out var text) && text.GetString() == "below http over stomp");
    }

    [Fact]
    public async Task AStompUpgradeFromAForeignPageIsTheEndpointsToRefuse()
    {
        await using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync(StompHead(_server.Port, "Origin: https://evil.example\r\n"));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 403", head);
        Assert.Contains("Server: Kestrel", head);
        Assert.Contains("\"error\":\"forbidden_origin\"", await raw.ReadBodyAsync(head));
    }

    [Fact]
    public async Task WithTheSettingOffTheStompEndpointUpgradesAsBefore()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:DirectWebSockets"] = "false" });
        var token = await server.SignInAsync("kes");
        await using var raw = await RawConnection.OpenAsync(server.Port);
        await raw.SendAsync(StompHead(server.Port));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Contains("Server: Kestrel", head);
        Assert.Contains("\r\nSec-WebSocket-Protocol: v12.stomp\r\n", head);
        await raw.SendTextFrameAsync($"CONNECT\naccept-version:1.2\nhost:x\nlogin:kes\npasscode:{token}\n\n\0");
        Assert.StartsWith("CONNECTED\n", await raw.ReadTextFrameAsync());
    }

    [Fact]
    public async Task WithTheSettingOffTheEndpointUpgradesAsBefore()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:DirectWebSockets"] = "false" });
        await using var raw = await RawConnection.OpenAsync(server.Port);
        await raw.SendAsync($"GET /ws?access_token={await server.SignInAsync("kes")} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n" +
            "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Contains("Server: Kestrel", head);
        Assert.Contains("\"type\":\"welcome\"", await raw.ReadTextFrameAsync());
    }

    /// <summary>A connection to <paramref name="server"/>, once the direct path waits on <paramref name="clock"/> for its first bytes.</summary>
    private static async Task<RawConnection> OpenWaitedOnAsync(ChatServer server, TimerCountingClock clock)
    {
        var waits = clock.TimersCreated(DirectWebSockets.FirstBytesTimeout); // earlier connections (a sign-in's) waited too
        var raw = await RawConnection.OpenAsync(server.Port);
        await Eventually.ThatAsync(() => clock.TimersCreated(DirectWebSockets.FirstBytesTimeout) == waits + 1, "the server waits for the first bytes");
        return raw;
    }

    [Fact]
    public async Task AConnectionSilentPastTheFirstBytesTimeoutIsLeftToKestrel()
    {
        var clock = new TimerCountingClock(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(clock: clock);
        var token = await server.SignInAsync("quiet");
        await using var raw = await OpenWaitedOnAsync(server, clock);

        clock.Advance(DirectWebSockets.FirstBytesTimeout);
        await raw.SendAsync(Head(server.Port, $"?access_token={token}"));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Contains("Server: Kestrel", head); // the endpoint upgraded it, past Kestrel's HTTP layer
        Assert.Contains("\"type\":\"welcome\"", await raw.ReadTextFrameAsync());
    }

    [Fact]
    public async Task AHeadSentJustBeforeTheFirstBytesTimeoutIsAnsweredBelowHttp()
    {
        var clock = new TimerCountingClock(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(clock: clock);
        var token = await server.SignInAsync("prompt");
        await using var raw = await OpenWaitedOnAsync(server, clock);

        clock.Advance(DirectWebSockets.FirstBytesTimeout - TimeSpan.FromMilliseconds(1));
        await raw.SendAsync(Head(server.Port, $"?access_token={token}"));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.DoesNotContain("Server:", head);
        Assert.Contains("\"type\":\"welcome\"", await raw.ReadTextFrameAsync());
    }

    [Fact]
    public async Task AStopClosesAConnectionThatHasSentNothingWithoutWaitingForTheFirstBytesTimeout()
    {
        // A spare connection (HttpClient and browsers open more than they use) on a clock that never reaches the timeout.
        var clock = new TimerCountingClock(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(clock: clock);
        await using var raw = await OpenWaitedOnAsync(server, clock);

        await server.StopAsync(); // bounded by ChatServer.Timeout; the host's own bound is 30 s
        Assert.Equal("", await raw.ReadHeadOrCloseAsync());
    }

    [Fact]
    public async Task AHeadCutAnywhereStillOpensTheSocket()
    {
        var bytes = Encoding.ASCII.GetBytes(Head($"?access_token={_token}"));
        for (var cut = 1; cut < bytes.Length; cut += 3)
        {
            await using var raw = await RawConnection.OpenAsync(_server.Port);
            await raw.SendAsync(bytes.AsMemory(0, cut));
            await raw.SendAsync(bytes.AsMemory(cut));
            Assert.StartsWith("HTTP/1.1 101", await raw.ReadHeadAsync());
            Assert.Contains("\"type\":\"welcome\"", await raw.ReadTextFrameAsync());
        }
    }

    [Fact]
    public async Task AFrameSentWithTheHeadIsTheSocketsFirstFrame()
    {
        await using var raw = await RawConnection.OpenAsync(_server.Port);
        var head = Encoding.ASCII.GetBytes(Head($"?access_token={_token}"));
        await raw.SendAsync(head.Concat(RawConnection.MaskedText("""{"type":"ping"}""")).ToArray());
        Assert.StartsWith("HTTP/1.1 101", await raw.ReadHeadAsync());
        while (!(await raw.ReadTextFrameAsync()).Contains("\"type\":\"pong\"")) { }
    }

    [Fact]
    public async Task RefusalsAndOtherRequestsAreTheEndpointsAsBefore()
    {
        await using (var anonymous = await RawConnection.OpenAsync(_server.Port))
        {
            await anonymous.SendAsync(Head(""));
            var head = await anonymous.ReadHeadAsync();
            Assert.StartsWith("HTTP/1.1 401", head);
            Assert.Contains("\"error\":\"unauthorized\"", await anonymous.ReadBodyAsync(head));
        }
        await using (var foreign = await RawConnection.OpenAsync(_server.Port))
        {
            await foreign.SendAsync(Head($"?access_token={_token}", "Origin: https://evil.example\r\n"));
            Assert.StartsWith("HTTP/1.1 403", await foreign.ReadHeadAsync());
        }
        await using (var health = await RawConnection.OpenAsync(_server.Port))
        {
            await health.SendAsync($"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 200", await health.ReadHeadAsync());
        }
        // A head longer than the direct path reads (8 KiB) but within Kestrel's limits is upgraded by the endpoint.
        await using var large = await RawConnection.OpenAsync(_server.Port);
        await large.SendAsync(Head($"?access_token={_token}", $"X-Padding: {new string('p', 10_000)}\r\n"));
        var upgraded = await large.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101", upgraded);
        Assert.Contains("Server: Kestrel", upgraded);
    }

    /// <summary>Requests Kestrel's parser refuses (it lets some things through that the direct path does not take, such as control bytes in values).</summary>
    [Theory]
    [InlineData(true, "101")]
    [InlineData(false, "403")]
    public async Task BehindAProxyTheForwardedSchemeAndHostCountOnlyWhenTheProxyIsTrusted(bool trusted, string status)
    {
        await using var server = await ChatServer.StartAsync(trusted ? new() { ["Chat:TrustedProxies:0"] = "127.0.0.1" } : null);
        await using var raw = await RawConnection.OpenAsync(server.Port);
        await raw.SendAsync($"GET /ws?access_token={await server.SignInAsync("proxied")} HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\n" +
            "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
            "Origin: https://chat.example\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: chat.example\r\n\r\n");
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith($"HTTP/1.1 {status}", head);
        if (trusted) Assert.DoesNotContain("Server:", head); // taken below HTTP, the proxy's word applied as the pipeline would
    }

    public static TheoryData<string> Malformed() => new()
    {
        "GET /ws HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n folded: line\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n",
        "GET  /ws HTTP/1.1\r\nHost: x\r\n\r\n",
        "G\0T /ws HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /ws HTTP/1.1\r\n\r\n",
        "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 TLS to a plain port\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedRequestGets400AndIsClosed(string request)
    {
        await using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync(Encoding.Latin1.GetBytes(request));
        var head = await raw.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 400", head);
        Assert.True(await raw.IsClosedAfterAsync(head), "the connection stayed open");
    }

    [Fact]
    public async Task OversizedHeadersGetKestrelsRefusal()
    {
        await using var raw = await RawConnection.OpenAsync(_server.Port);
        await raw.SendAsync(Head($"?access_token={_token}", $"X-Padding: {new string('p', 40_000)}\r\n"));
        Assert.StartsWith("HTTP/1.1 431", await raw.ReadHeadAsync());
    }

    [Fact]
    public async Task RandomBytesAreRefusedOrDroppedAndTheServerGoesOn()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var valid = Encoding.ASCII.GetBytes(Head($"?access_token={_token}"));
        for (var n = 0; n < 200; n++)
        {
            byte[] bytes;
            if (n % 2 == 0)
            {
                bytes = new byte[random.Next(1, 2000)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = (byte[])valid.Clone();
                for (var i = random.Next(1, 4); i > 0; i--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            await using var raw = await RawConnection.OpenAsync(_server.Port);
            await raw.SendAsync(bytes);
            raw.EndSending(); // no more is coming: whatever the server makes of it, it answers or closes now
            var head = await raw.ReadHeadOrCloseAsync();
            // A mangled head can still be a good request (a changed Upgrade byte leaves a plain GET); anything else is refused.
            if (head.Length > 0) Assert.Matches(@"^HTTP/1\.1 (101|200|4\d\d|505) ", head);
        }
        using var http = _server.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        await using var after = await _server.ConnectAsync(_token);
        Assert.Equal("raw", after.Welcome.GetProperty("user").GetString());
    }
}
