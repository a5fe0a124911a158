using System.Collections.Concurrent;

namespace ChatApp.Accounts;

/// <summary>
/// Slows password guessing per name (PROTOCOL.md §1): after <see cref="FreeFailures"/> wrong passwords in a row,
/// each further attempt must wait twice as long as the last (1 s, 2 s, 4 s, ... up to <see cref="MaxWait"/>).
/// An attempt is charged before its hash is checked and refunded when it succeeds, so guesses sent in parallel
/// cannot slip past the count. Time comes from the app's <see cref="TimeProvider"/>.
/// </summary>
public sealed class PasswordBackoff(TimeProvider clock) : IPasswordBackoff
{
    public const int FreeFailures = 3;
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(15);

    /// <summary>A name with no wrong password for this long starts again from nothing.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    private sealed record Entry(int Failures, DateTimeOffset LastAttempt, DateTimeOffset NextAllowed);

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    /// <summary>Charges an attempt on <paramref name="key"/>; null when it may go ahead, else how long to wait.</summary>
    public TimeSpan? TryBegin(string key)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            var current = _entries.TryGetValue(key, out var found) && now - found.LastAttempt < ForgetAfter ? found : null;
            if (current is not null && now < current.NextAllowed) return current.NextAllowed - now;
            var failures = (current?.Failures ?? 0) + 1;
            var next = new Entry(failures, now, now + Wait(failures));
            if (found is null ? _entries.TryAdd(key, next) : _entries.TryUpdate(key, next, found)) return null;
        }
    }

    /// <summary>The attempt was right: the name's count starts again.</summary>
    public void Succeeded(string key) => _entries.TryRemove(key, out _);

    ValueTask<TimeSpan?> IPasswordBackoff.TryBeginAsync(string key) => new(TryBegin(key));

    ValueTask IPasswordBackoff.SucceededAsync(string key)
    {
        Succeeded(key);
        return ValueTask.CompletedTask;
    }

    /// <summary>How long the attempt after the <paramref name="failures"/>th wrong one in a row must wait.</summary>
    public static TimeSpan Wait(int failures)
    {
        if (failures <= FreeFailures) return TimeSpan.Zero;
        var doublings = Math.Min(failures - FreeFailures - 1, 20);
        var wait = FirstWait * Math.Pow(2, doublings);
        return wait < MaxWait ? wait : MaxWait;
    }
}
