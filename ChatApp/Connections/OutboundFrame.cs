namespace ChatApp.Connections;

/// <summary>
/// One item of a connection's outbox: ready bytes (shared, never changed), or a file streamed from disk as one binary
/// frame. One reference wide, so a connection thousands of frames behind holds 8 bytes for each, not 24.
/// </summary>
public readonly struct OutboundFrame
{
    private readonly object? _item; // byte[] or StoredFile

    public OutboundFrame(byte[] bytes) => _item = bytes;

    public OutboundFrame(string filePath, long fileLength) => _item = new StoredFile(filePath, fileLength);

    /// <summary>The frame's bytes; null for a file.</summary>
    public byte[]? Bytes => _item as byte[];

    /// <summary>The stored file to send as one binary frame; null for bytes.</summary>
    public string? FilePath => (_item as StoredFile)?.Path;

    public long FileLength => (_item as StoredFile)?.Length ?? 0;

    public static implicit operator OutboundFrame(byte[] bytes) => new(bytes);

    private sealed record StoredFile(string Path, long Length);
}
