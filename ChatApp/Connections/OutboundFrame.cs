namespace ChatApp.Connections;

/// <summary>One item of a connection's outbox: ready bytes (shared, never changed), or a file streamed from disk as one binary frame.</summary>
public readonly record struct OutboundFrame(byte[]? Bytes, string? FilePath = null, long FileLength = 0)
{
    public static implicit operator OutboundFrame(byte[] bytes) => new(bytes);
}
