using System.IO.Pipelines;

namespace ChatApp.Connections;

/// <summary>
/// The connection under one accepted WebSocket: a request Kestrel's HTTP/1 layer upgraded (<see cref="HttpSocketUpgrade"/>),
/// or a connection taken below that layer (<see cref="DirectSocketUpgrade"/>). The socket's own code is the same over both.
/// </summary>
public abstract class SocketUpgrade
{
    /// <summary>Sends 101 Switching Protocols and returns the connection's byte stream.</summary>
    public abstract Task<Stream> AcceptAsync();

    /// <summary>After <see cref="AcceptAsync"/>: the pipe the connection's bytes go out through; the outbox copies frames into it and flushes.</summary>
    public abstract PipeWriter Output { get; }

    /// <summary>Drops the TCP connection: a client too slow, or the server stopping.</summary>
    public abstract void Abort();

    /// <summary>Cancelled when the connection is gone.</summary>
    public abstract CancellationToken Aborted { get; }
}
