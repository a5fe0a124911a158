using System.Net.Sockets;
using System.Text;

namespace ChatApp.LoadTool;

/// <summary>
/// <see cref="ChatClient"/>'s SignalR dialect: the canonical SignalR chat hub (the shared benchmark's peer) over the same
/// raw socket and parser, with the JSON hub protocol and no negotiate: <c>/hub?user=NAME</c>, a handshake, <c>Send(text)</c>
/// invocations out and <c>message</c> invocations in, so one client and one clock measure both servers in the same run.
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>A SignalR server drops a client silent for 30 s (its ClientTimeoutInterval): ping well inside that.</summary>
    private static readonly TimeSpan HubPingPeriod = TimeSpan.FromSeconds(10);

    private const byte RecordSeparator = 0x1E;

    private static ReadOnlySpan<byte> HubHandshake => "{\"protocol\":\"json\",\"version\":1}\u001e"u8;

    private static ReadOnlySpan<byte> HubPing => "{\"type\":6}\u001e"u8;

    private static string HubSend(string text) => $"{{\"type\":1,\"target\":\"Send\",\"arguments\":[\"{text}\"]}}\u001e";

    /// <summary>
    /// SignalR: a text frame holds records ending in 0x1E. The first is the handshake's answer (<c>{}</c>, or an
    /// <c>error</c>), which makes the connection ready; then <c>message</c> invocations, pings (type 6) and a close (type 7).
    /// </summary>
    private void HubRecords(ReadOnlySpan<byte> records)
    {
        while (records.Length > 0)
        {
            var end = records.IndexOf(RecordSeparator);
            var record = end < 0 ? records : records[..end];
            records = end < 0 ? default : records[(end + 1)..];
            if (!HasRoster)
            {
                if (record.IndexOf("\"error\""u8) >= 0) throw new IOException($"hub handshake refused: {Encoding.UTF8.GetString(record)}");
                Welcomed = true;
                Replayed = 0;
                HasRoster = true;
                Ready.TrySetResult();
            }
            else if (record.StartsWith("{\"type\":1,"u8)) Message(record);
        }
    }

    private async Task PingHubAsync()
    {
        using var timer = new PeriodicTimer(HubPingPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync() && !Closed) await SendAsync(0x81, HubPing.ToArray());
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException) { }
    }
}
