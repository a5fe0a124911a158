namespace ChatApp.Connections;

/// <summary>
/// One item of a connection's outbox: ready bytes (shared, never changed), several frames' bytes back to back (a run of
/// events stored together, queued as one item), or a file streamed from disk as one binary frame. One reference wide,
/// so a connection thousands of frames behind holds 8 bytes for each, not 24.
/// </summary>
public readonly struct OutboundFrame
{
    private readonly object? _item; // byte[], FrameRun or StoredFile

    public OutboundFrame(byte[] bytes) => _item = bytes;

    /// <summary><paramref name="frames"/> whole WebSocket frames in <paramref name="bytes"/>, one after another.</summary>
    public OutboundFrame(byte[] bytes, int frames) => _item = frames == 1 ? bytes : new FrameRun(bytes, frames);

    public OutboundFrame(string filePath, long fileLength) => _item = new StoredFile(filePath, fileLength);

    /// <summary>The frame's bytes (a run's frames, back to back); null for a file.</summary>
    public byte[]? Bytes => _item as byte[] ?? (_item as FrameRun)?.Bytes;

    /// <summary>How many frames this item carries: a run's count, else 1. The outbox's frame limit counts these.</summary>
    public int Frames => _item is FrameRun run ? run.Frames : 1;

    /// <summary>The stored file to send as one binary frame; null for bytes.</summary>
    public string? FilePath => (_item as StoredFile)?.Path;

    public long FileLength => (_item as StoredFile)?.Length ?? 0;

    public static implicit operator OutboundFrame(byte[] bytes) => new(bytes);

    private sealed record StoredFile(string Path, long Length);

    private sealed record FrameRun(byte[] Bytes, int Frames);
}
