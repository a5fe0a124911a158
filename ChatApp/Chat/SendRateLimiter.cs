namespace ChatApp.Chat;

/// <summary>
/// A token bucket per user (Chat:RateLimit): Messages sends per PerSeconds window, refilled smoothly.
/// Counts messages and files alike across every connection and transport. Owned by the room loop.
/// </summary>
internal sealed class SendRateLimiter(RateLimitOptions options, TimeProvider clock)
{
    private readonly Dictionary<string, (double Tokens, long Stamp)> _buckets = new(Names.Comparer);
    private readonly double _capacity = Math.Max(1, options.Messages);
    private readonly double _refillPerSecond = Math.Max(1, options.Messages) / Math.Max(0.001, options.PerSeconds);

    public bool TryTake(string user)
    {
        var now = clock.GetTimestamp();
        var tokens = _capacity;
        if (_buckets.TryGetValue(user, out var bucket))
            tokens = Math.Min(_capacity, bucket.Tokens + clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _refillPerSecond);
        if (tokens < 1)
        {
            _buckets[user] = (tokens, now);
            return false;
        }
        _buckets[user] = (tokens - 1, now);
        if (_buckets.Count > 100_000) Prune(now);
        return true;
    }

    /// <summary>Forgets full buckets, which are the same as no bucket.</summary>
    private void Prune(long now)
    {
        foreach (var (user, bucket) in _buckets)
            if (bucket.Tokens + clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _refillPerSecond >= _capacity)
                _buckets.Remove(user);
    }
}
