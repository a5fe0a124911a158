using ChatApp.Chat;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Appends events to the shared log with <see cref="RedisScripts.Append"/> (one round trip: idempotency, rate
/// limit, id, entry, publication) and reads the log back by id.
/// </summary>
public sealed class RedisEventLog(IConnectionMultiplexer redis, RedisKeys keys, ScaleoutOptions options, TimeProvider clock)
{
    private const int ReadBatch = 500;

    /// <summary>Appends a user's event (its <see cref="ChatEvent.Id"/> is ignored). <paramref name="floor"/> is the newest id this node applied.</summary>
    public async Task<AppendResult> AppendAsync(ChatEvent draft, string userKey, RateLimitOptions? limit, long floor, string? origin = null)
    {
        var clientId = draft.ClientId;
        var capacity = limit is null ? 0 : Math.Max(1, limit.Messages);
        var refillPerMillisecond = capacity / Math.Max(1.0, (limit?.PerSeconds ?? 1) * 1000);
        var result = (RedisResult[])(await RedisScripts.Append.EvaluateAsync(redis.GetDatabase(),
            [keys.Sequence, keys.Log, keys.Idempotency(userKey, clientId ?? ""), keys.RateLimit(userKey)],
            [
                keys.Bus.ToString(), floor, options.RedisLogLength,
                BusEventCodec.Encode(draft, origin),
                capacity, refillPerMillisecond.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                clock.GetUtcNow().ToUnixTimeMilliseconds(), options.IdempotencySeconds, clientId is null ? "0" : "1",
            ]))!;
        var outcome = (AppendOutcome)(int)result[0];
        return outcome switch
        {
            AppendOutcome.RateLimited => new AppendResult(outcome, 0),
            AppendOutcome.Duplicate => new AppendResult(outcome, (long)result[1], result.Length > 2 ? (string?)result[2] : null),
            _ => new AppendResult(outcome, (long)result[1]),
        };
    }

    /// <summary>Log entries with id greater than <paramref name="afterId"/>, oldest first, at most <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<(long Id, string Json)>> ReadAfterAsync(long afterId, int count = ReadBatch)
    {
        var entries = await redis.GetDatabase().StreamRangeAsync(keys.Log, $"({afterId}-0", "+", count);
        return entries.Select(e => (ParseId(e.Id), (string)e["e"]!)).ToList();
    }

    /// <summary>Id of the newest entry in the log, or 0 when it is empty.</summary>
    public async Task<long> TopAsync()
    {
        var top = await redis.GetDatabase().StreamRangeAsync(keys.Log, "-", "+", 1, Order.Descending);
        return top.Length == 0 ? 0 : ParseId(top[0].Id);
    }

    private static long ParseId(RedisValue entryId)
    {
        var text = (string)entryId!;
        return long.Parse(text.AsSpan(0, text.IndexOf('-')));
    }
}
