namespace ChatApp.Connections;

/// <summary>
/// The stream the framework's WebSocket reads and writes through: reads pass to the connection, and its
/// own writes (pong and close frames, one whole frame per write) join the outbox, so the socket keeps one writer.
/// </summary>
internal sealed class OutboxWriteStream(Stream transport, FrameOutbox outbox) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => transport.ReadAsync(buffer, ct);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => transport.ReadAsync(buffer, offset, count, ct);
    public override int Read(byte[] buffer, int offset, int count) => transport.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        outbox.TrySend(buffer.ToArray());
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
    {
        outbox.TrySend(buffer.AsSpan(offset, count).ToArray());
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => outbox.TrySend(buffer.AsSpan(offset, count).ToArray());
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
