namespace ChatApp.Accounts;

/// <summary>Fixed windows in this process's memory, timed by the app's <see cref="TimeProvider"/>.</summary>
public sealed class DefaultWindowCounter(TimeProvider clock) : IWindowCounter
{
    private const int PruneAbove = 10_000; // keys; ended windows are dropped once there are more

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Hits, DateTimeOffset Ends)> _windows = new(StringComparer.Ordinal);

    public ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken cancellationToken = default) => new(Hit(key, window));

    private WindowCount Hit(string key, TimeSpan window)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var (hits, ends) = _windows.TryGetValue(key, out var open) && now < open.Ends ? open : (0, now + window);
            _windows[key] = (hits + 1, ends);
            if (_windows.Count > PruneAbove)
                foreach (var (other, entry) in _windows)
                    if (entry.Ends <= now) _windows.Remove(other);
            return new WindowCount(hits + 1, ends - now);
        }
    }
}
