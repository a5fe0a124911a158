namespace ChatApp.Storage;

/// <summary>An event's times as the archive keeps them: Unix milliseconds, the wire's precision (PROTOCOL.md), 6 bytes instead of 27 characters of text.</summary>
internal static class UnixMilliseconds
{
    private const long EpochMilliseconds = 62_135_596_800_000; // DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond

    public static long Of(DateTime time) =>
        (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).Ticks / TimeSpan.TicksPerMillisecond - EpochMilliseconds;

    public static DateTime ToTime(long milliseconds) => new((milliseconds + EpochMilliseconds) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
}
