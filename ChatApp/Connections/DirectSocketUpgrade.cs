using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace ChatApp.Connections;

/// <summary>
/// A WebSocket on a connection taken before Kestrel's HTTP/1 layer (<see cref="DirectWebSockets"/>): the head is
/// already read and used up, and the socket reads the input pipe through one small stream and the outbox writes to the output pipe.
/// </summary>
public sealed class DirectSocketUpgrade(ConnectionContext connection, UpgradeRequestHead head) : SocketUpgrade
{
    public override async Task<Stream> AcceptAsync()
    {
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {WebSocketHandshake.AcceptKey(head.Key)}\r\n\r\n");
        await connection.Transport.Output.WriteAsync(response, connection.ConnectionClosed);
        return new PipeInputStream(connection.Transport.Input);
    }

    public override PipeWriter Output => connection.Transport.Output;

    public override void Abort() => connection.Abort(new ConnectionAbortedException("The WebSocket was dropped by the server."));

    public override CancellationToken Aborted => connection.ConnectionClosed;
}
