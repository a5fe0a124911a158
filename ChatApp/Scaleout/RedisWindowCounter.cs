using ChatApp.Accounts;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Fixed windows shared by every node: a counter key per limited thing that expires with its window, timed by
/// Redis's clock (one clock for all nodes). One round trip per hit. Redis unreachable: the hit throws, as nothing
/// shared could be decided or stored then anyway (a sign-in is answered 503 storage_unavailable, see
/// <c>Api/StorageOutageAnswers</c>; a profile visit makes no notice).
/// </summary>
public sealed class RedisWindowCounter(IConnectionMultiplexer redis, RedisKeys keys) : IWindowCounter
{
    /// <summary>KEYS[1] = counter; ARGV[1] = window (ms). Answers {hits, ms until the window ends}.</summary>
    private static readonly RedisScript HitScript = new("""
        local hits = redis.call('INCR', KEYS[1])
        local left = redis.call('PTTL', KEYS[1])
        if hits == 1 or left < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          left = tonumber(ARGV[1])
        end
        return {hits, left}
        """);

    public async ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken cancellationToken = default) =>
        Read(await HitScript.EvaluateAsync(redis.GetDatabase(), [keys.Limit(key)], [Milliseconds(window)]).WaitAsync(cancellationToken));

    private static long Milliseconds(TimeSpan window) => Math.Max(1, (long)Math.Ceiling(window.TotalMilliseconds));

    private static WindowCount Read(RedisResult result)
    {
        var pair = (RedisResult[])result!;
        return new WindowCount((long)pair[0], TimeSpan.FromMilliseconds((long)pair[1]));
    }
}
