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
}
