using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.StompJsClient;

namespace ChatApp.Tests.Stomp;

/// <summary>Heart-beats are negotiated (max of both sides' numbers) and honoured both ways.</summary>
public sealed class StompHeartBeatTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new() { ["Chat:Stomp:HeartBeatMilliseconds"] = "100" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AClientThatBeatsStaysConnectedAndOneThatStopsIsDropped()
    {
        var token = await _server.SignInAsync("beating");
        var (client, connected) = await RawStompClient.ConnectAsync(_server, "beating", token, heartBeat: "1000,50");
        await using var _ = client;
        Assert.Equal("100,100", connected["heart-beat"]);
        // The client promises a beat every 1,000 ms (it answers each of the server's, every 100 ms), so it is dropped after
        // 2 s of silence: room enough for a test machine that pauses the client now and then.
        // Thirty server beats of at least 100 ms each: longer than a silent client would be allowed.
        await client.EchoHeartBeatsAsync(30);
        await client.SendAsync("SEND\ndestination:/topic/chat\nreceipt:alive\n\nstill here\0");
        await client.ExpectAsync(f => f.Command == "RECEIPT" && f["receipt-id"] == "alive");
        // Now silent: dropped after twice the agreed interval.
        Assert.Equal("(close)", (await client.ExpectAsync(f => f.Command == "(close)")).Command);
    }

    [Fact]
    public async Task AStompJsClientWhoseHeartBeatsStopIsDropped()
    {
        var token = await _server.SignInAsync("frozen");
        var (js, _) = await ConnectAsync(_server, "frozen", token, heartbeat: [100, 0]);
        await using var _j = js;
        await js.SendAsync(new { op = "stopHeartbeats" });
        await js.ExpectAsync("close");
    }
}
