namespace ChatApp.Connections;

/// <summary>A WebSocket over a request that went through Kestrel's HTTP/1 layer and the pipeline (the <c>/ws</c> endpoint).</summary>
public sealed class HttpSocketUpgrade(HttpContext http) : SocketUpgrade
{
    public override Task<Stream> AcceptAsync() => WebSocketHandshake.AcceptAsync(http);

    public override void Abort() => http.Abort();

    public override CancellationToken Aborted => http.RequestAborted;
}
