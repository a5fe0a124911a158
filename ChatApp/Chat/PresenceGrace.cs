namespace ChatApp.Chat;

/// <summary>
/// Users whose last connection closed less than Chat:PresenceGraceSeconds ago (PROTOCOL.md §2.1): their part waits,
/// so a reload or a quick reconnect is silent. Owned by the room loop; a timer only hands the expiry back to the loop
/// (<c>expired(name, ticket)</c>), where <see cref="Expire"/> decides whether it still stands.
/// </summary>
internal sealed class PresenceGrace(TimeSpan grace, TimeProvider clock, Action<string, long> expired) : IDisposable
{
    private readonly Dictionary<string, (long Ticket, ITimer Timer)> _waiting = new(Names.Comparer);
    private long _lastTicket;

    /// <summary>The user's last connection closed: false when there is no grace (part now), else the part waits.</summary>
    public bool Begin(string name)
    {
        if (grace <= TimeSpan.Zero) return false;
        Cancel(name);
        var ticket = ++_lastTicket;
        var timer = clock.CreateTimer(_ => expired(name, ticket), null, grace, Timeout.InfiniteTimeSpan);
        _waiting[name] = (ticket, timer);
        return true;
    }

    /// <summary>A connection of the user opened: true when it replaces one closed within the grace (no join, no part).</summary>
    public bool Cancel(string name)
    {
        if (!_waiting.Remove(name, out var waiting)) return false;
        waiting.Timer.Dispose();
        return true;
    }

    /// <summary>A timer's report: true when that grace is still running (nobody came back), so the part is due now.</summary>
    public bool Expire(string name, long ticket)
    {
        if (!_waiting.TryGetValue(name, out var waiting) || waiting.Ticket != ticket) return false; // came back meanwhile
        _waiting.Remove(name);
        waiting.Timer.Dispose();
        return true;
    }

    public bool IsWaiting(string name) => _waiting.ContainsKey(name);

    public void Dispose()
    {
        foreach (var (_, timer) in _waiting.Values) timer.Dispose();
        _waiting.Clear();
    }
}
