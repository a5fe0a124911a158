using System.Net.WebSockets;
using System.Text;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Stomp;

/// <summary>Frames as real clients cut and batch them, through a raw WebSocket client.</summary>
public sealed class StompFramingTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new()
    {
        ["Chat:MaxMessageLength"] = "100",
        ["Chat:Stomp:MaxHeaderBytes"] = "1024",
        ["Chat:Stomp:MaxFrameBytes"] = "65536",
    });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<RawStompClient> ConnectSubscribedAsync(string name, string version = "1.2")
    {
        var token = await _server.SignInAsync(name);
        var (client, _) = await RawStompClient.ConnectAsync(_server, name, token, acceptVersion: version);
        await client.SendAsync("SUBSCRIBE\nid:priv\ndestination:/user/queue/private\n\n\0SUBSCRIBE\nid:pub\ndestination:/topic/chat\nreceipt:subscribed\n\n\0");
        await client.ExpectAsync(f => f["roster"] == "true");
        await client.ExpectAsync(f => f.Command == "RECEIPT" && f["receipt-id"] == "subscribed");
        return client;
    }

    [Fact]
    public async Task SeveralFramesInOneMessageAreAllHandled()
    {
        await using var client = await ConnectSubscribedAsync("batcher");
        await client.SendAsync("SEND\ndestination:/topic/chat\n\none\0\nSEND\ndestination:/topic/chat\n\ntwo\0\r\nSEND\ndestination:/topic/chat\n\nthree\0");
        await client.ExpectTextAsync("one");
        await client.ExpectTextAsync("two");
        await client.ExpectTextAsync("three");
    }

    [Fact]
    public async Task AFrameSplitAcrossMessagesTextAndBinaryAlikeIsOneFrame()
    {
        await using var client = await ConnectSubscribedAsync("splitter");
        var frame = "SEND\ndestination:/topic/chat\ncontent-type:text/plain\n\nsplit across messages\0";
        for (var i = 0; i < frame.Length; i += 3)
            await client.SendAsync(frame.Substring(i, Math.Min(3, frame.Length - i)), binary: i % 2 == 0);
        await client.ExpectTextAsync("split across messages");
    }

    [Fact]
    public async Task HeartBeatEolsBetweenAndAfterFramesAreSkipped()
    {
        await using var client = await ConnectSubscribedAsync("beater");
        await client.SendAsync("\n");
        await client.SendAsync("\r\n");
        await client.SendAsync("\n\r\n\nSEND\ndestination:/topic/chat\n\nafter beats\0\n\r\n");
        await client.SendAsync("\n", binary: true);
        await client.SendAsync("SEND\ndestination:/topic/chat\n\nstill fine\0");
        await client.ExpectTextAsync("after beats");
        await client.ExpectTextAsync("still fine");
    }

    [Fact]
    public async Task AContentLengthBodyMayContainNul()
    {
        await using var client = await ConnectSubscribedAsync("nuller");
        var body = "a\0b";
        await client.SendAsync($"SEND\ndestination:/topic/chat\ncontent-length:{Encoding.UTF8.GetByteCount(body)}\n\n{body}\0");
        await client.ExpectTextAsync("a\0b");
    }

    [Theory]
    [InlineData("1.0", "a\\cb", "a\\cb")]      // no escaping in 1.0: the backslash is the value's own
    [InlineData("1.1", "a\\cb\\\\c", "a\\cb\\\\c")] // unescaped to a:b\c, escaped again on the way out
    [InlineData("1.2", "x\\ry\\nz", "x\\ry\\nz")]
    public async Task HeaderValuesAreEscapedPerVersion(string version, string sent, string echoed)
    {
        await using var client = await ConnectSubscribedAsync($"esc{version.Replace(".", "")}", version);
        await client.SendAsync($"SEND\ndestination:/topic/chat\nreceipt:{sent}\n\nescaped {version}\0");
        await client.ExpectTextAsync($"escaped {version}");
        var receipt = await client.ExpectAsync(f => f.Command == "RECEIPT");
        Assert.Equal(echoed, receipt["receipt-id"]);
    }

    [Fact]
    public async Task TheSubscriptionIdComesBackEscapedAsSent()
    {
        var token = await _server.SignInAsync("subesc");
        var (client, _) = await RawStompClient.ConnectAsync(_server, "subesc", token);
        await using var _c = client;
        await client.SendAsync("SUBSCRIBE\nid:sub\\c1\ndestination:/topic/chat\n\n\0");
        var roster = await client.ExpectAsync(f => f["roster"] == "true");
        Assert.Equal("sub\\c1", roster["subscription"]);
    }

    [Fact]
    public async Task AnUndefinedEscapeIsAnErrorThatCloses()
    {
        await using var client = await ConnectSubscribedAsync("badesc", "1.1");
        await client.SendAsync("SEND\ndestination:/topic/chat\nreceipt:a\\rb\n\nx\0"); // \r is defined in 1.2 only
        Assert.Equal("ERROR", (await client.ExpectAsync(f => f.Command is "ERROR" or "(close)")).Command);
        Assert.Equal("(close)", (await client.ReceiveAsync()).Command);
    }

    [Fact]
    public async Task WhenAHeaderRepeatsTheFirstWins()
    {
        await using var client = await ConnectSubscribedAsync("repeater");
        await client.SendAsync("SEND\ndestination:/topic/chat\ndestination:/queue/nobody\n\nfirst wins\0");
        var message = await client.ExpectTextAsync("first wins");
        Assert.Equal("/topic/chat", message["destination"]);
    }

    [Fact]
    public async Task ABodyOverTheMessageLimitIsRefusedTooLongAndTheSessionGoesOn()
    {
        await using var client = await ConnectSubscribedAsync("longer");
        await client.SendAsync($"SEND\ndestination:/topic/chat\nreceipt:long1\n\n{new string('x', 101)}\0");
        var refusal = await client.ExpectAsync(f => f.Command == "MESSAGE" && f["destination"] == "/user/queue/private");
        Assert.Equal("too_long", refusal.Json!.Value.GetProperty("code").GetString());
        Assert.Equal("long1", refusal.Json!.Value.GetProperty("receipt").GetString());
        // Far over the body cap too (dropped unread), still only too_long.
        await client.SendAsync($"SEND\ndestination:/topic/chat\n\n{new string('y', 20_000)}\0");
        refusal = await client.ExpectAsync(f => f.Command == "MESSAGE" && f["destination"] == "/user/queue/private");
        Assert.Equal("too_long", refusal.Json!.Value.GetProperty("code").GetString());
        await client.SendAsync("SEND\ndestination:/topic/chat\n\nstill here\0");
        await client.ExpectTextAsync("still here");
    }

    [Fact]
    public async Task AHeaderOverTheCapGetsAnErrorFlushedThenTheClose()
    {
        await using var client = await ConnectSubscribedAsync("header");
        await client.SendAsync($"SEND\ndestination:/topic/chat\nx-big:{new string('h', 2000)}\n\nnever\0");
        var error = await client.ExpectAsync(f => f.Command is "ERROR" or "(close)");
        Assert.Equal("ERROR", error.Command);
        Assert.Contains("header", error["message"] + error.Body);
        Assert.Equal("(close)", (await client.ReceiveAsync()).Command);
    }

    [Fact]
    public async Task AFrameOverTheCapGetsAnErrorFlushedThenTheClose()
    {
        await using var client = await ConnectSubscribedAsync("frame");
        await client.SendAsync("SEND\ndestination:/topic/chat\ncontent-length:1000000\n\n");
        Assert.Equal("ERROR", (await client.ExpectAsync(f => f.Command is "ERROR" or "(close)")).Command);
        Assert.Equal("(close)", (await client.ReceiveAsync()).Command);
    }

    [Fact]
    public async Task GarbageGetsAnErrorAndTheServerServesOthersAfterward()
    {
        var random = new Random(7);
        for (var i = 0; i < 20; i++)
        {
            await using var garbage = await RawStompClient.OpenAsync(_server);
            var bytes = new byte[random.Next(1, 3000)];
            random.NextBytes(bytes);
            await garbage.SendBytesAsync(bytes, binary: i % 2 == 0);
            await garbage.ExpectAsync(f => f.Command is "ERROR" or "(close)");
        }
        await using var client = await ConnectSubscribedAsync("survivor");
        await client.SendAsync("SEND\ndestination:/topic/chat\n\nserver is fine\0");
        await client.ExpectTextAsync("server is fine");
    }
}
