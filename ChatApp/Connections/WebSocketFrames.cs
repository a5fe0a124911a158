using System.Buffers.Binary;

namespace ChatApp.Connections;

/// <summary>Server-to-client WebSocket frames (RFC 6455 §5.2: FIN set, never masked), built once and shared by every recipient.</summary>
public static class WebSocketFrames
{
    private const byte FinText = 0x81;
    private const byte FinBinary = 0x82;

    /// <summary>A ping with no payload (opcode 9); the client's automatic pong is read and dropped.</summary>
    public static readonly byte[] EmptyPing = [0x89, 0x00];

    public static byte[] Text(ReadOnlySpan<byte> utf8) => Frame(FinText, utf8);

    /// <summary>One text frame whose payload is <paramref name="head"/> then <paramref name="tail"/> (a per-recipient head on shared bytes), in one copy.</summary>
    public static byte[] Text(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail) => Text(head, tail, []);

    /// <summary>One text frame whose payload is the three parts one after another, in one copy.</summary>
    public static byte[] Text(ReadOnlySpan<byte> head, ReadOnlySpan<byte> middle, ReadOnlySpan<byte> tail)
    {
        var length = head.Length + middle.Length + tail.Length;
        var headerLength = HeaderLength(length);
        var frame = new byte[headerLength + length];
        WriteHeader(frame, FinText, length);
        head.CopyTo(frame.AsSpan(headerLength));
        middle.CopyTo(frame.AsSpan(headerLength + head.Length));
        tail.CopyTo(frame.AsSpan(headerLength + head.Length + middle.Length));
        return frame;
    }

    /// <summary>Just the header of a binary frame of <paramref name="length"/> bytes, for payloads streamed from disk.</summary>
    public static byte[] BinaryHeader(long length)
    {
        var header = new byte[HeaderLength(length)];
        WriteHeader(header, FinBinary, length);
        return header;
    }

    private static byte[] Frame(byte first, ReadOnlySpan<byte> payload)
    {
        var headerLength = HeaderLength(payload.Length);
        var frame = new byte[headerLength + payload.Length];
        WriteHeader(frame, first, payload.Length);
        payload.CopyTo(frame.AsSpan(headerLength));
        return frame;
    }

    private static int HeaderLength(long length) => length < 126 ? 2 : length <= ushort.MaxValue ? 4 : 10;

    private static void WriteHeader(Span<byte> frame, byte first, long length)
    {
        frame[0] = first;
        if (length < 126) frame[1] = (byte)length;
        else if (length <= ushort.MaxValue) { frame[1] = 126; BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)length); }
        else { frame[1] = 127; BinaryPrimitives.WriteUInt64BigEndian(frame[2..], (ulong)length); }
    }
}
