using System.Net.WebSockets;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Connections;

public sealed class SlowClientTests
{
    [Fact]
    public async Task AClientThatStopsReadingIsCutOffWhileOthersKeepReceivingEverything()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:OutboxFrames"] = "256" });
        await using var fast = await server.JoinAsync("fast");
        await using var sender = await server.JoinAsync("sender");
        // Connected and then never read again: the kernel's buffers fill, then its outbox.
        var stalled = await server.JoinAsync("stalled");
        await fast.ExpectAsync("system", e => e.GetProperty("user").GetString() == "stalled");

        const int count = 8000;
        var text = new string('x', 2000);
        var received = 0;
        var receiving = Task.Run(async () =>
        {
            var sawPart = false;
            while (Volatile.Read(ref received) < count || !sawPart)
            {
                var frame = await fast.ReceiveJsonAsync(TimeSpan.FromSeconds(30));
                if (TestSocket.Type(frame) == "message" && frame.GetProperty("from").GetString() == "sender") Interlocked.Increment(ref received);
                if (TestSocket.Type(frame) == "system" && frame.GetProperty("event").GetString() == "part"
                    && frame.GetProperty("user").GetString() == "stalled") sawPart = true;
            }
            return Volatile.Read(ref received);
        });
        var echoes = Task.Run(async () =>
        {
            for (var got = 0; got < count;)
                if (TestSocket.Type(await sender.ReceiveJsonAsync(TimeSpan.FromSeconds(30))) == "message") got++;
        });
        for (var i = 0; i < count; i++)
        {
            // A sender that lets healthy readers keep up (as the rate limit would); only the stalled one falls behind.
            while (i - Volatile.Read(ref received) > 100) await Task.Delay(1);
            await sender.SendJsonAsync(new { type = "message", text = $"{i} {text}" });
        }
        Assert.Equal(count, await receiving.WaitAsync(TimeSpan.FromSeconds(60)));
        await echoes.WaitAsync(TimeSpan.FromSeconds(60));

        // The stalled client was disconnected (its TCP connection dropped), not waited for; it can come back with since.
        var cutOff = await Assert.ThrowsAsync<WebSocketException>(async () =>
        {
            while (true) await stalled.ReceiveAsync(TimeSpan.FromSeconds(20));
        });
        Assert.Equal(WebSocketError.ConnectionClosedPrematurely, cutOff.WebSocketErrorCode);
        stalled.Abort();
        await using var back = await server.ConnectAsync(stalled.Token!, since: 0);
        Assert.True(back.Replay.Count > 0);
    }

    [Fact]
    public async Task AClientThatStopsReadingIsCutOffByTheBytesQueuedForIt()
    {
        // The frame limit is out of reach: only the bytes queued can cut the stalled reader off.
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:OutboxFrames"] = "1000000",
            ["Chat:OutboxBytes"] = "1048576",
            ["Chat:SendTimeoutSeconds"] = "3600",
        });
        Assert.True(await StalledReaderIsCutOffAsync(server), "the stalled reader was never cut off");
    }

    [Fact]
    public async Task AClientThatStopsReadingIsCutOffWhenOneSendHangs()
    {
        // Neither frames nor our own bytes limit it: only the write that the full kernel queue never lets finish.
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:OutboxFrames"] = "1000000",
            ["Chat:OutboxBytes"] = "0",
            ["Chat:SendTimeoutSeconds"] = "2",
        });
        Assert.True(await StalledReaderIsCutOffAsync(server), "the stalled reader was never cut off");
    }

    [Fact]
    public async Task AStompSessionThatStopsReadingIsCutOffByTheBytesQueuedForItAsASocketIs()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:OutboxFrames"] = "1000000",
            ["Chat:OutboxBytes"] = "1048576",
            ["Chat:SendTimeoutSeconds"] = "3600",
        });
        Assert.True(await StalledReaderIsCutOffAsync(server, stomp: true), "the stalled STOMP session was never cut off");
    }

    /// <summary>Sends big messages until an observer sees the stalled reader's part (true), or gives up after a bounded number (false).</summary>
    private static async Task<bool> StalledReaderIsCutOffAsync(ChatServer server, bool stomp = false)
    {
        await using var observer = await server.JoinAsync("observer");
        await using var sender = await server.JoinAsync("sender");
        // Never read again: a /ws connection, or a STOMP session subscribed to the topic.
        TestSocket? stalledSocket = null;
        RawStompClient? stalledSession = null;
        if (stomp)
        {
            stalledSession = (await RawStompClient.ConnectAsync(server, "stalled", await server.SignInAsync("stalled"))).Client;
            await stalledSession.SendAsync("SUBSCRIBE\nid:sub-0\ndestination:/topic/chat\n\n\0");
        }
        else stalledSocket = await server.JoinAsync("stalled");
        await observer.ExpectAsync("system", e => e.GetProperty("user").GetString() == "stalled");
        var observed = 0;
        var cutOff = Task.Run(async () =>
        {
            while (true)
            {
                var frame = await observer.ReceiveJsonAsync(TimeSpan.FromSeconds(30));
                if (TestSocket.Type(frame) == "message") Interlocked.Increment(ref observed);
                if (TestSocket.Type(frame) == "system" && frame.GetProperty("event").GetString() == "part"
                    && frame.GetProperty("user").GetString() == "stalled") return;
            }
        });
        var echoes = Task.Run(async () =>
        {
            while (!cutOff.IsCompleted) await sender.ReceiveJsonAsync(TimeSpan.FromSeconds(30));
        });
        var text = new string('x', 3900);
        for (var i = 0; i < 20_000 && !cutOff.IsCompleted; i++)
        {
            // Healthy readers are kept within a hundred messages (as the rate limit would); only the stalled one falls behind.
            while (i - Volatile.Read(ref observed) > 100 && !cutOff.IsCompleted) await Task.WhenAny(cutOff, Task.Delay(1));
            await sender.SendJsonAsync(new { type = "message", text = $"{i} {text}" });
        }
        await cutOff.WaitAsync(TimeSpan.FromSeconds(30));
        if (stalledSocket is not null)
        {
            stalledSocket.Abort();
            await stalledSocket.DisposeAsync();
        }
        if (stalledSession is not null) await stalledSession.DisposeAsync();
        return cutOff.IsCompletedSuccessfully;
    }
}
