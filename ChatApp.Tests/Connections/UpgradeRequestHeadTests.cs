using System.Buffers;
using System.Text;
using ChatApp.Connections;
using Xunit.Abstractions;

namespace ChatApp.Tests.Connections;

public sealed class UpgradeRequestHeadTests(ITestOutputHelper output)
{
    private const string Valid =
        "GET /ws?access_token=abc&since=7 HTTP/1.1\r\n" +
        "Host: 127.0.0.1:5000\r\n" +
        "Connection: keep-alive, Upgrade\r\n" +
        "Upgrade: websocket\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Origin: http://127.0.0.1:5000\r\n" +
        "Cookie: chat_session=xyz; other=1\r\n" +
        "Authorization: Bearer tok\r\n" +
        "User-Agent: test\r\n" +
        "\r\n";

    private static UpgradeRequestHead? Parse(string text) => UpgradeRequestHead.TryParse(Encoding.Latin1.GetBytes(text));

    [Fact]
    public void APlainUpgradeIsReadWithWhatAdmissionNeeds()
    {
        var head = Parse(Valid + "\x81\x80rest of the socket")!;
        Assert.NotNull(head);
        Assert.Equal(Valid.Length, head.Length); // the bytes after the head stay the socket's
        Assert.Equal("?access_token=abc&since=7", head.Query);
        Assert.Equal("127.0.0.1:5000", head.Host);
        Assert.Equal("http://127.0.0.1:5000", head.Origin);
        Assert.Equal("chat_session=xyz; other=1", head.Cookie);
        Assert.Equal("Bearer tok", head.Authorization);
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", head.Key);
    }

    [Fact]
    public void AStompUpgradeIsReadWithItsPathAndTheSubprotocolsItOffers()
    {
        var stomp = Valid.Replace("GET /ws?access_token=abc&since=7", "GET /stomp").Replace("User-Agent: test", "Sec-WebSocket-Protocol: v10.stomp, v11.stomp, v12.stomp");
        var head = Parse(stomp)!;
        Assert.NotNull(head);
        Assert.Equal(UpgradeRequestHead.StompPath, head.Path);
        Assert.Equal("", head.Query);
        Assert.Equal("v10.stomp, v11.stomp, v12.stomp", head.SubProtocols);
        Assert.Equal(stomp.Length, head.Length);

        var ws = Parse(Valid)!;
        Assert.Equal(UpgradeRequestHead.WebSocketPath, ws.Path);
        Assert.Null(ws.SubProtocols);
        Assert.Equal("?x=1", Parse(Valid.Replace("GET /ws?access_token=abc&since=7", "GET /stomp?x=1"))!.Query);
    }

    [Fact]
    public void HeaderNamesAreCaseInsensitiveAndValuesLoseTheirSurroundingSpace()
    {
        var head = Parse(Valid.Replace("Upgrade: websocket", "uPGRADE:\t WebSocket ").Replace("Host: ", "HOST:"));
        Assert.NotNull(head);
        Assert.Equal("127.0.0.1:5000", head.Host);
    }

    [Fact]
    public void WhatAProxySaysIsReadForThePipelinesRuleToJudge()
    {
        var head = Parse(Valid.Replace("User-Agent: test", "X-Forwarded-For: 203.0.113.7\r\nx-forwarded-proto: https\r\nX-Forwarded-Host: chat.example"))!;
        Assert.Equal("203.0.113.7", head.ForwardedFor);
        Assert.Equal("https", head.ForwardedProto);
        Assert.Equal("chat.example", head.ForwardedHost);
        Assert.Null(Parse(Valid)!.ForwardedFor);
    }

    [Fact]
    public void APathWithoutQueryIsRead() => Assert.Equal("", Parse(Valid.Replace("/ws?access_token=abc&since=7", "/ws"))!.Query);

    public static TheoryData<string, string> NotPlainUpgrades() => new()
    {
        { "another method", Valid.Replace("GET /ws", "POST /ws") },
        { "another path", Valid.Replace("GET /ws?", "GET /wsx?") },
        { "a path below /ws", Valid.Replace("GET /ws?", "GET /ws/x?") },
        { "a path that starts like /stomp", Valid.Replace("GET /ws?", "GET /stompx?") },
        { "a path below /stomp", Valid.Replace("GET /ws?", "GET /stomp/x?") },
        { "another endpoint", Valid.Replace("GET /ws?", "GET /api/messages?") },
        { "the root", Valid.Replace("GET /ws?", "GET /?") },
        { "two Sec-WebSocket-Protocol headers", Valid.Replace("User-Agent: test", "Sec-WebSocket-Protocol: v12.stomp\r\nSec-WebSocket-Protocol: v11.stomp") },
        { "the path in capitals", Valid.Replace("GET /ws?", "GET /WS?") },
        { "absolute form", Valid.Replace("GET /ws?", "GET http://h/ws?") },
        { "HTTP/1.0", Valid.Replace("HTTP/1.1\r\n", "HTTP/1.0\r\n") },
        { "two spaces after the target", Valid.Replace(" HTTP/1.1", "  HTTP/1.1") },
        { "a control byte in the target", Valid.Replace("abc", "a\x01c") },
        { "a byte over ASCII in the target", Valid.Replace("abc", "a\u00e9c") },
        { "a line folded onto the one before", Valid.Replace("User-Agent: test\r\n", "User-Agent: test\r\n  more\r\n") },
        { "a header without a colon", Valid.Replace("User-Agent: test", "User-Agent test") },
        { "an empty header name", Valid.Replace("User-Agent: test", ": test") },
        { "a space before the colon", Valid.Replace("User-Agent: test", "User-Agent : test") },
        { "a control byte in a value", Valid.Replace("User-Agent: test", "User-Agent: te\x7fst") },
        { "a byte over ASCII in a value", Valid.Replace("User-Agent: test", "User-Agent: t\u00e9st") },
        { "a bare CR", Valid.Replace("User-Agent: test\r\n", "User-Agent: test\rX: y\r\n") },
        { "a bare LF", Valid.Replace("User-Agent: test\r\n", "User-Agent: test\nX: y\r\n") },
        { "two Host headers", Valid.Replace("User-Agent: test", "Host: other") },
        { "two Authorization headers", Valid.Replace("User-Agent: test", "Authorization: Bearer other") },
        { "two Cookie headers", Valid.Replace("User-Agent: test", "Cookie: chat_session=other") },
        { "two Origin headers", Valid.Replace("User-Agent: test", "Origin: http://evil.example") },
        { "two keys", Valid.Replace("User-Agent: test", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==") },
        { "no Host", Valid.Replace("Host: 127.0.0.1:5000\r\n", "") },
        { "an empty Host", Valid.Replace("Host: 127.0.0.1:5000", "Host: ") },
        { "no Upgrade", Valid.Replace("Upgrade: websocket\r\n", "") },
        { "Upgrade to something else", Valid.Replace("Upgrade: websocket", "Upgrade: h2c") },
        { "Connection without upgrade", Valid.Replace("Connection: keep-alive, Upgrade", "Connection: keep-alive") },
        { "another WebSocket version", Valid.Replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8") },
        { "a key that is not base64", Valid.Replace("dGhlIHNhbXBsZSBub25jZQ==", "not base64 at all!!!!!!") },
        { "a key of another length", Valid.Replace("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZQ==") },
        { "a body", Valid.Replace("User-Agent: test", "Content-Length: 5") },
        { "a chunked body", Valid.Replace("User-Agent: test", "Transfer-Encoding: chunked") },
        { "two X-Forwarded-For", Valid.Replace("User-Agent: test", "X-Forwarded-For: 10.0.0.1\r\nX-Forwarded-For: 10.0.0.2") },
        { "two X-Forwarded-Host", Valid.Replace("User-Agent: test", "x-forwarded-host: a.example\r\nX-Forwarded-Host: b.example") },
        { "X-Forwarded-Prefix", Valid.Replace("User-Agent: test", "X-Forwarded-Prefix: /chat") },
        { "Forwarded", Valid.Replace("User-Agent: test", "Forwarded: for=10.0.0.1") },
        { "Expect", Valid.Replace("User-Agent: test", "Expect: 100-continue") },
        { "no end of head", Valid[..^2] },
        { "nothing", "" },
    };

    [Theory]
    [MemberData(nameof(NotPlainUpgrades))]
    public void AnythingButAPlainUpgradeIsLeftToKestrel(string what, string text) =>
        Assert.True(Parse(text) is null, what);

    [Fact]
    public void TooManyHeadersOrTooLongAHeadIsLeftToKestrel()
    {
        var many = Valid.Replace("User-Agent: test\r\n", string.Concat(Enumerable.Range(0, UpgradeRequestHead.MaxHeaders).Select(i => $"X-{i}: v\r\n")));
        Assert.Null(Parse(many));
        var padding = new string('a', UpgradeRequestHead.MaxHeadBytes);
        Assert.Null(Parse(Valid.Replace("User-Agent: test", $"User-Agent: {padding}")));
        // Just within both caps, it is read.
        var fits = Valid.Replace("User-Agent: test", $"User-Agent: {padding[..(UpgradeRequestHead.MaxHeadBytes - Valid.Length - 10)]}");
        Assert.NotNull(Parse(fits));
    }

    [Fact]
    public void EveryCutOfAHeadIsIncompleteAndOnlyTheWholeOneIsRead()
    {
        var bytes = Encoding.ASCII.GetBytes(Valid);
        for (var cut = 0; cut < bytes.Length; cut++) Assert.Null(UpgradeRequestHead.TryParse(bytes.AsSpan(0, cut)));
        Assert.NotNull(UpgradeRequestHead.TryParse(bytes));
    }

    [Fact]
    public void AHeadSpreadOverManySegmentsReadsAsOne()
    {
        var bytes = Encoding.ASCII.GetBytes(Valid);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var first = new Segment(bytes.AsMemory(0, cut), 0);
            var last = first.Append(bytes.AsMemory(cut));
            var head = UpgradeRequestHead.TryParse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
            Assert.NotNull(head);
            Assert.Equal(bytes.Length, head.Length);
        }
    }

    [Fact]
    public void RandomBytesAndMutatedHeadsNeverThrowAndNeverPassForAMangledHead()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var valid = Encoding.ASCII.GetBytes(Valid);
        for (var n = 0; n < 20_000; n++)
        {
            byte[] bytes;
            if (n % 2 == 0)
            {
                bytes = new byte[random.Next(0, 600)];
                random.NextBytes(bytes);
                if (bytes.Length >= 7 && random.Next(3) == 0) "GET /ws"u8.CopyTo(bytes);
                Assert.Null(UpgradeRequestHead.TryParse(bytes));
                continue;
            }
            // One byte of a valid head changed: it either still reads as a head that holds together, or not at all.
            bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var head = UpgradeRequestHead.TryParse(bytes);
            if (head is null) continue;
            Assert.Equal(bytes.Length, head.Length);
            Assert.False(string.IsNullOrEmpty(head.Host));
            Assert.Equal(24, head.Key.Length);
            Assert.All(head.Query, c => Assert.InRange(c, '!', '~'));
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
