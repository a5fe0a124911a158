using System.Buffers;
using System.Net;
using System.Net.Sockets;
using ChatApp.Connections;

namespace ChatApp.Tests.Connections;

/// <summary>The direct path's writer over a real loopback socket: every byte arrives in order, whatever the sizes and waits.</summary>
public sealed class SocketOutputTests
{
    private static async Task<(Socket Server, Socket Client)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (await accepting, client);
    }

    [Fact]
    public async Task SmallFramesPackedBigOnesSpreadAndABacklogTheKernelMakesWaitAllArriveInOrder()
    {
        var (server, client) = await PairAsync();
        using var _ = server;
        using var __ = client;
        server.SendBufferSize = 4096; // a small kernel buffer, so that big flushes have to wait for the reader
        var output = new SocketOutput(server);
        var random = new Random(7);
        var sent = new MemoryStream();
        var writing = Task.Run(async () =>
        {
            for (var round = 0; round < 200; round++)
            {
                foreach (var size in new[] { 1, 90, 4000, round % 10 == 0 ? 200_000 : 17 })
                {
                    var frame = new byte[size];
                    random.NextBytes(frame);
                    sent.Write(frame);
                    output.Write<byte>(frame);
                }
                var result = await output.FlushAsync();
                Assert.False(result.IsCompleted || result.IsCanceled);
            }
            await output.FlushAsync(); // nothing written: a no-op
            server.Shutdown(SocketShutdown.Send);
        });

        var received = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await client.ReceiveAsync(chunk)) > 0)
        {
            received.Write(chunk, 0, read);
            if (received.Length % 5 == 0) await Task.Delay(1); // a reader slower than the writer now and then
        }
        await writing;

        Assert.Equal(sent.Length, received.Length);
        Assert.True(sent.ToArray().AsSpan().SequenceEqual(received.ToArray()));
    }

    [Fact]
    public async Task AFlushToAPeerThatIsGoneFailsAsAnIOException()
    {
        var (server, client) = await PairAsync();
        using var _ = server;
        client.LingerState = new LingerOption(true, 0); // closing resets the connection
        client.Close();
        var output = new SocketOutput(server);

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 100; i++) // the first sends may still be taken by the kernel before the reset arrives
            {
                output.Write<byte>(new byte[64 * 1024]);
                await output.FlushAsync();
                await Task.Delay(10);
            }
        });
    }
}
