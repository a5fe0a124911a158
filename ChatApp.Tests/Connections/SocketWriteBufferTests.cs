using ChatApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace ChatApp.Tests.Connections;

/// <summary>Chat:SocketWriteBufferBytes bounds what a socket keeps unsent inside the process (Kestrel's default is 64 KiB).</summary>
public sealed class SocketWriteBufferTests
{
    [Fact]
    public async Task TheSocketsWriteBufferIsSixteenKilobytesUnlessConfiguredAndAReaderFarBehindStillGetsEverything()
    {
        await using (var configured = await ChatServer.StartAsync(new() { ["Chat:SocketWriteBufferBytes"] = "4096" }))
            Assert.Equal(4096, configured.Service<IOptions<SocketTransportOptions>>().Value.MaxWriteBufferSize);

        await using var server = await ChatServer.StartAsync();
        Assert.Equal(16 * 1024, server.Service<IOptions<SocketTransportOptions>>().Value.MaxWriteBufferSize);

        // A reader that reads nothing while 300 events of 1 KB are sent (far more than the socket's buffer) then gets each once, in order.
        await using var reader = await server.JoinAsync("reader");
        await using var writer = await server.JoinAsync("writer");
        var text = new string('x', 1000);
        for (var i = 0; i < 300; i++) await writer.SendJsonAsync(new { type = "message", text = $"{i} {text}" });
        await writer.ExpectMessageAsync($"299 {text}");
        var received = new List<string?>();
        while (received.Count < 300) received.Add((await reader.ExpectAsync("message")).GetProperty("text").GetString());
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"{i} {text}"), received);
    }
}
