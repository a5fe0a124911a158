using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A fake clock that counts the timers created on it by due time, so a test advances time only once the server's wait
/// has begun (a timer created after an advance would count from the new time, and never run out).
/// </summary>
public sealed class TimerCountingClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<TimeSpan, int> _created = new();

    /// <summary>Timers created so far that were due <paramref name="dueTime"/> after their creation.</summary>
    public int TimersCreated(TimeSpan dueTime) => _created.GetValueOrDefault(dueTime);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.AddOrUpdate(dueTime, 1, (_, count) => count + 1); // counted once it is on the clock: an advance from here reaches it
        return timer;
    }
}
