using System.Text;

namespace ChatApp.LoadTool;

/// <summary>
/// <see cref="ChatClient"/>'s STOMP dialect (PROTOCOL.md §4): <c>/stomp?access_token=TOKEN</c> with subprotocol
/// <c>v12.stomp</c>, a <c>CONNECT</c> without a passcode (the socket is signed in already), one <c>SUBSCRIBE</c> to
/// <c>/topic/chat</c>, then <c>MESSAGE</c> frames whose bodies are the events of §2.1; the roster frame makes the
/// connection ready. Messages go out as <c>SEND</c> frames whose body is the text, as a stompjs client sends them.
/// </summary>
public sealed partial class ChatClient
{
    private static ReadOnlySpan<byte> StompConnect => "CONNECT\naccept-version:1.2\nhost:chat\nheart-beat:0,0\n\n\0"u8;

    private static byte[] StompSubscribe(long? since) =>
        Encoding.UTF8.GetBytes($"SUBSCRIBE\nid:sub-0\ndestination:/topic/chat\n{(since is null ? "" : $"since:{since}\n")}\n\0");

    private static byte[] StompSend(string text) => Encoding.UTF8.GetBytes($"SEND\ndestination:/topic/chat\n\n{text}\0");

    /// <summary>One STOMP frame: a MESSAGE's body goes on as an event; an ERROR ends the connection; the rest (CONNECTED, RECEIPT) is not needed.</summary>
    private void StompFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.StartsWith("MESSAGE\n"u8))
        {
            var body = frame.IndexOf("\n\n"u8);
            if (body < 0) return;
            var json = frame[(body + 2)..];
            if (json.Length > 0 && json[^1] == 0) json = json[..^1];
            Event(json);
        }
        else if (frame.StartsWith("ERROR\n"u8))
            throw new IOException($"STOMP ERROR: {Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 300)])}");
    }
}
