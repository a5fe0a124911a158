namespace ChatApp.Accounts;

/// <summary>
/// Hits per key in fixed windows, for the limits that must hold across every node (sign-ins per address, profile
/// visits): in this process (<see cref="DefaultWindowCounter"/>) or shared through Redis (<c>Scaleout/RedisWindowCounter</c>),
/// chosen at start-up. A key's window opens with its first hit and lasts the window given then. Asynchronous only:
/// the shared one is a round trip, which no request thread waits out.
/// </summary>
public interface IWindowCounter
{
    /// <summary>Counts one hit on <paramref name="key"/>; answers the hits in its current window, this one included.</summary>
    ValueTask<WindowCount> HitAsync(string key, TimeSpan window, CancellationToken cancellationToken = default);
}

/// <summary>The hits in a key's current window and the time until that window ends.</summary>
public readonly record struct WindowCount(long Hits, TimeSpan Remaining);
