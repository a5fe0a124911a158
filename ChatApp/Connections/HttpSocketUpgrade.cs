using System.IO.Pipelines;

namespace ChatApp.Connections;

/// <summary>
/// A WebSocket over a request that went through Kestrel's HTTP/1 layer and the pipeline (the <c>/ws</c> and <c>/stomp</c>
/// endpoints); <paramref name="subProtocol"/>, if any, is the one the 101 names.
/// </summary>
public sealed class HttpSocketUpgrade(HttpContext http, string? subProtocol = null) : SocketUpgrade
{
    private PipeWriter? _output;

    public override async Task<Stream> AcceptAsync()
    {
        var stream = await WebSocketHandshake.AcceptAsync(http, subProtocol);
        _output = WebSocketHandshake.WriterOver(stream, http);
        return stream;
    }

    public override PipeWriter Output => _output ?? throw new InvalidOperationException("Not upgraded yet.");

    public override void Abort() => http.Abort();

    public override CancellationToken Aborted => http.RequestAborted;
}
