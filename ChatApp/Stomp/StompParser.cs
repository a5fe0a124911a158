using System.Buffers;
using System.Text;

namespace ChatApp.Stomp;

/// <summary>
/// Turns one connection's byte stream into STOMP frames, however the client cut it into WebSocket
/// messages (several frames in one, one frame across several, text or binary alike). Heart-beat EOLs
/// between frames are skipped and counted. Everything is capped: a header line or a frame over its cap is
/// an error that ends the session; a body over the body cap (but under the frame cap) is read and dropped,
/// and the frame comes out marked <see cref="StompFrame.BodyTooLong"/>, so the session can refuse it and go on.
/// </summary>
public sealed class StompParser(int maxLineBytes, int maxHeaders, int maxBodyBytes, long maxFrameBytes)
{
    private enum State { Command, Headers, Body, AfterBody, Failed }

    private const byte Nul = 0;
    private const byte Lf = (byte)'\n';
    private const byte Cr = (byte)'\r';

    private const int MaxCommandBytes = 16; // UNSUBSCRIBE, the longest, has 11
    private static readonly SearchValues<byte> CommandBytes = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ArrayBufferWriter<byte> _line = new(256);
    private ArrayBufferWriter<byte>? _body;
    private State _state;
    private string _command = "";
    private List<KeyValuePair<string, string>> _headers = [];
    private long _contentLength = -1;
    private long _bodyRead;
    private bool _bodyTooLong;

    /// <summary>The session's version once CONNECT is done: from then on header values are unescaped (1.1, 1.2). Null: no unescaping.</summary>
    public StompVersion? Version { get; set; }

    /// <summary>Heart-beat EOLs seen between frames so far.</summary>
    public long HeartBeats { get; private set; }

    /// <summary>
    /// Parses <paramref name="data"/> and adds the frames it completes to <paramref name="frames"/>. Returns an
    /// error message when the stream is malformed or over a cap; the parser then stays failed.
    /// </summary>
    public string? Feed(ReadOnlySpan<byte> data, List<StompFrame> frames)
    {
        while (data.Length > 0)
        {
            switch (_state)
            {
                case State.Failed:
                    return "The session has already failed.";
                case State.Command when _line.WrittenCount == 0 && (data[0] == Lf || data[0] == Cr):
                    // EOLs between frames are heart-beats (\n or \r\n, also right after a frame's NUL).
                    if (data[0] == Lf) HeartBeats++;
                    data = data[1..];
                    break;
                case State.Command or State.Headers:
                {
                    var end = data.IndexOf(Lf);
                    var part = end < 0 ? data : data[..end];
                    // Garbage is refused at its first byte, not after a line's worth of it.
                    if (_state == State.Command && (_line.WrittenCount + part.Length > MaxCommandBytes || part.IndexOfAnyExcept(CommandBytes) is var bad && bad >= 0 && !(bad == part.Length - 1 && part[bad] == Cr)))
                        return Fail("The frame does not start with a STOMP command.");
                    if (_line.WrittenCount + part.Length > maxLineBytes)
                        return Fail(_state == State.Command ? "The command line is too long." : $"A header line is longer than {maxLineBytes} bytes.");
                    _line.Write(part);
                    if (end < 0) return null;
                    data = data[(end + 1)..];
                    var error = _state == State.Command ? OnCommandLine() : OnHeaderLine();
                    _line.ResetWrittenCount();
                    if (error is not null) return Fail(error);
                    break;
                }
                case State.Body:
                {
                    var error = ReadBody(ref data, out var ended);
                    if (error is not null) return Fail(error);
                    if (ended) frames.Add(Complete());
                    break;
                }
                case State.AfterBody:
                    if (data[0] != Nul) return Fail("The body is longer than its content-length, or the frame lacks its NUL.");
                    data = data[1..];
                    frames.Add(Complete());
                    break;
            }
        }
        return null;
    }

    private string? OnCommandLine()
    {
        var line = TrimCr(_line.WrittenSpan);
        if (line.Length == 0) return null;
        foreach (var b in line)
            if (b is < (byte)'A' or > (byte)'Z') return "The frame does not start with a STOMP command.";
        _command = Encoding.ASCII.GetString(line);
        _headers = [];
        _contentLength = -1;
        _state = State.Headers;
        return null;
    }

    private string? OnHeaderLine()
    {
        var line = TrimCr(_line.WrittenSpan);
        if (line.Length == 0)
        {
            _state = State.Body;
            _bodyRead = 0;
            _bodyTooLong = false;
            if (Header("content-length") is { } declared)
            {
                if (!long.TryParse(declared, System.Globalization.NumberStyles.None, null, out var length)) return "The content-length header is not a number.";
                if (length > maxFrameBytes) return $"The frame is longer than {maxFrameBytes} bytes.";
                _contentLength = length;
                _bodyTooLong = length > maxBodyBytes;
            }
            return null;
        }
        if (_headers.Count >= maxHeaders) return $"The frame has more than {maxHeaders} headers.";
        var colon = line.IndexOf((byte)':');
        if (colon <= 0) return "A header line has no name or no colon.";
        string name, value;
        try
        {
            name = StrictUtf8.GetString(line[..colon]);
            value = StrictUtf8.GetString(line[(colon + 1)..]);
        }
        catch (DecoderFallbackException) { return "A header is not UTF-8."; }
        // CONNECT, STOMP and CONNECTED are never escaped; version 1.0 has no escaping at all.
        if (Version is { } v && v != StompVersion.V10 && _command is not ("CONNECT" or "STOMP"))
        {
            var unescapedName = StompEscaping.Unescape(name, v);
            var unescapedValue = StompEscaping.Unescape(value, v);
            if (unescapedName is null || unescapedValue is null) return "A header has an undefined escape sequence.";
            (name, value) = (unescapedName, unescapedValue);
        }
        _headers.Add(new(name, value));
        return null;
    }

    /// <summary>Reads body bytes; <paramref name="ended"/> when a NUL ended a body without content-length.</summary>
    private string? ReadBody(ref ReadOnlySpan<byte> data, out bool ended)
    {
        ReadOnlySpan<byte> chunk;
        ended = false;
        if (_contentLength >= 0)
        {
            var want = (int)Math.Min(_contentLength - _bodyRead, data.Length);
            chunk = data[..want];
            data = data[want..];
            if (_bodyRead + want == _contentLength) _state = State.AfterBody;
        }
        else
        {
            var nul = data.IndexOf(Nul);
            chunk = nul < 0 ? data : data[..nul];
            data = nul < 0 ? [] : data[(nul + 1)..];
            ended = nul >= 0;
        }
        _bodyRead += chunk.Length;
        if (_bodyRead > maxFrameBytes) return $"The frame is longer than {maxFrameBytes} bytes.";
        if (_bodyRead > maxBodyBytes) _bodyTooLong = true;
        if (!_bodyTooLong) (_body ??= new ArrayBufferWriter<byte>(256)).Write(chunk);
        return null;
    }

    private StompFrame Complete()
    {
        var body = _bodyTooLong || _body is null ? [] : _body.WrittenSpan.ToArray();
        var frame = new StompFrame(_command, _headers, body, _bodyTooLong);
        if (_body is { Capacity: > 64 * 1024 }) _body = null; // let a big buffer go
        _body?.ResetWrittenCount();
        _state = State.Command;
        return frame;
    }

    private string? Header(string name)
    {
        foreach (var (key, value) in _headers)
            if (key == name) return value;
        return null;
    }

    private string Fail(string error)
    {
        _state = State.Failed;
        _body = null;
        return error;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) => line.Length > 0 && line[^1] == Cr ? line[..^1] : line;
}
