using ChatApp.Accounts;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Wrong passwords counted per name across every node, with <see cref="PasswordBackoff"/>'s schedule (passed to the
/// script as a table, so the rule is written once). Charged before the hash is checked, atomically, as there.
/// </summary>
public sealed class RedisPasswordBackoff(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider clock) : IPasswordBackoff
{
    /// <summary>
    /// KEYS[1] = the name's entry {f = failures, at = last attempt (ms), next = allowed from (ms)}; ARGV[1] = now (ms),
    /// ARGV[2] = forget after (ms), ARGV[3..] = the wait (ms) after 1, 2, ... failures (the last one repeats).
    /// Answers -1 when the attempt may go ahead, else the ms to wait.
    /// </summary>
    private static readonly RedisScript BeginScript = new("""
        local now = tonumber(ARGV[1])
        local entry = redis.call('HMGET', KEYS[1], 'f', 'at', 'next')
        local failures = 0
        if entry[1] and now - tonumber(entry[2]) < tonumber(ARGV[2]) then
          if now < tonumber(entry[3]) then return tonumber(entry[3]) - now end
          failures = tonumber(entry[1])
        end
        failures = failures + 1
        local wait = tonumber(ARGV[2 + math.min(failures, #ARGV - 2)])
        redis.call('HSET', KEYS[1], 'f', failures, 'at', ARGV[1], 'next', string.format('%d', now + wait))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return -1
        """);

    /// <summary>The schedule in ms, up to the first failure count that waits the most.</summary>
    private static readonly RedisValue[] Schedule = ScheduleMilliseconds().Select(wait => (RedisValue)wait).ToArray();

    private static IEnumerable<long> ScheduleMilliseconds()
    {
        for (var failures = 1; ; failures++)
        {
            var wait = PasswordBackoff.Wait(failures);
            yield return (long)wait.TotalMilliseconds;
            if (wait >= PasswordBackoff.MaxWait) yield break;
        }
    }

    public async ValueTask<TimeSpan?> TryBeginAsync(string key)
    {
        var wait = (long)await BeginScript.EvaluateAsync(redis.GetDatabase(), [keys.Backoff(key)],
            [clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)PasswordBackoff.ForgetAfter.TotalMilliseconds, .. Schedule]);
        return wait < 0 ? null : TimeSpan.FromMilliseconds(wait);
    }

    public async ValueTask SucceededAsync(string key) => await redis.GetDatabase().KeyDeleteAsync(keys.Backoff(key));
}
