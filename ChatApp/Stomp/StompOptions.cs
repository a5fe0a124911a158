namespace ChatApp.Stomp;

/// <summary>The <c>Chat:Stomp</c> settings.</summary>
public sealed class StompOptions
{
    public const string Section = "Chat:Stomp";

    /// <summary>The server's heart-beat offer, both ways (CONNECTED <c>heart-beat:N,N</c>); 0 turns heart-beating off.</summary>
    public int HeartBeatMilliseconds { get; set; } = 10_000;

    /// <summary>Longest header line (and command line), in bytes; longer is an ERROR that ends the session.</summary>
    public int MaxHeaderBytes { get; set; } = 8 * 1024;

    /// <summary>Most headers in one frame.</summary>
    public int MaxHeaders { get; set; } = 64;

    /// <summary>Largest frame body read at all, in bytes; a bigger one is an ERROR that ends the session (bodies over the message limit but under this are refused as too_long).</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;
}
