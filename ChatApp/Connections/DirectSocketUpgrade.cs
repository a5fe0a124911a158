using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace ChatApp.Connections;

/// <summary>
/// A WebSocket on a connection taken before Kestrel's HTTP/1 layer (<see cref="DirectWebSockets"/>): the head is
/// already read and used up, and the socket reads the input pipe through one small stream. The 101 and every frame after it
/// go straight to the socket (<see cref="SocketOutput"/>), not through Kestrel's output pipe; a transport without a
/// socket (none in this app) keeps the pipe. <paramref name="subProtocol"/>, if any, is the one the 101 names (one the client offered).
/// </summary>
public sealed class DirectSocketUpgrade(ConnectionContext connection, UpgradeRequestHead head, string? subProtocol = null) : SocketUpgrade
{
    public override async Task<Stream> AcceptAsync()
    {
        var protocol = subProtocol is null ? "" : $"Sec-WebSocket-Protocol: {subProtocol}\r\n";
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {WebSocketHandshake.AcceptKey(head.Key)}\r\n{protocol}\r\n");
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            _output = new SocketOutput(socket);
            await _output.WriteAsync(response, connection.ConnectionClosed);
        }
        else await connection.Transport.Output.WriteAsync(response, connection.ConnectionClosed);
        return new PipeInputStream(connection.Transport.Input);
    }

    /// <summary>The socket's own writer once accepted; null over a transport without a socket.</summary>
    private SocketOutput? _output;

    public override PipeWriter Output => _output ?? connection.Transport.Output;

    public override void Abort() => connection.Abort(new ConnectionAbortedException("The WebSocket was dropped by the server."));

    public override CancellationToken Aborted => connection.ConnectionClosed;
}
