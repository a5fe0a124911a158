namespace ChatApp.Chat;

/// <summary>Repeat visits from one address to one profile within <see cref="Window"/> make one notice. Owned by the room loop.</summary>
internal sealed class ProfileVisitThrottle(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private readonly Dictionary<(string Owner, string Ip), DateTimeOffset> _lastNotice = new();

    public bool ShouldNotify(string owner, string ip)
    {
        var now = clock.GetUtcNow();
        var key = (Names.Key(owner), ip);
        if (_lastNotice.TryGetValue(key, out var last) && now - last < Window) return false;
        _lastNotice[key] = now;
        if (_lastNotice.Count > 10_000)
            foreach (var (k, at) in _lastNotice)
                if (now - at >= Window) _lastNotice.Remove(k);
        return true;
    }
}
