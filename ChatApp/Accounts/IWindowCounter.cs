namespace ChatApp.Accounts;

/// <summary>
/// Hits per key in fixed windows, for the limits that must hold across every node (sign-ins per address, profile
/// visits): in this process (<see cref="DefaultWindowCounter"/>) or shared through Redis (<c>Scaleout/RedisWindowCounter</c>),
/// chosen at start-up. A key's window opens with its first hit and lasts the window given then.
/// </summary>
public interface IWindowCounter
{
    /// <summary>Counts one hit on <paramref name="key"/>; answers the hits in its current window, this one included.</summary>
    WindowCount Hit(string key, TimeSpan window);

    Task<WindowCount> HitAsync(string key, TimeSpan window);
}

/// <summary>The hits in a key's current window and the time until that window ends.</summary>
public readonly record struct WindowCount(long Hits, TimeSpan Remaining);
