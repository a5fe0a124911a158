using System.Buffers;
using System.IO.Pipelines;

namespace ChatApp.Connections;

/// <summary>
/// A connection's input pipe as the stream a <see cref="System.Net.WebSockets.WebSocket"/> reads; async only. Nothing
/// writes through it: the outbox copies into the output pipe itself (<see cref="SocketUpgrade.Output"/>).
/// </summary>
internal sealed class PipeInputStream(PipeReader input) : Stream
{
    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override bool CanSeek => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        if (destination.IsEmpty)
        {
            // A zero-byte read waits for data and takes none (a 0 from a read with room is the end of the stream).
            var waited = await input.ReadAsync(ct);
            input.AdvanceTo(waited.Buffer.Start);
            return 0;
        }
        while (true)
        {
            var result = await input.ReadAsync(ct);
            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, destination.Length);
                buffer.Slice(0, count).CopyTo(destination.Span);
                input.AdvanceTo(buffer.GetPosition(count));
                return count;
            }
            input.AdvanceTo(buffer.End);
            if (result.IsCompleted || result.IsCanceled) return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("read only");
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
