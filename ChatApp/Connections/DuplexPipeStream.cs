using System.Buffers;
using System.IO.Pipelines;

namespace ChatApp.Connections;

/// <summary>A connection's two pipes as the stream a <see cref="System.Net.WebSockets.WebSocket"/> reads (the outbox writes to the output pipe itself); async only.</summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        if (destination.IsEmpty)
        {
            // A zero-byte read waits for data and takes none (a 0 from a read with room is the end of the stream).
            var waited = await pipe.Input.ReadAsync(ct);
            pipe.Input.AdvanceTo(waited.Buffer.Start);
            return 0;
        }
        while (true)
        {
            var result = await pipe.Input.ReadAsync(ct);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, destination.Length);
                buffer.Slice(0, count).CopyTo(destination.Span);
                pipe.Input.AdvanceTo(buffer.GetPosition(count));
                return count;
            }
            pipe.Input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken ct = default) =>
        await pipe.Output.WriteAsync(source, ct);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override Task FlushAsync(CancellationToken ct) => pipe.Output.FlushAsync(ct).AsTask();

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
