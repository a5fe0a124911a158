namespace ChatApp.Chat;

/// <summary>Who is online: open presence connections per user name. Owned by the room loop.</summary>
internal sealed class Presence
{
    private readonly Dictionary<string, (string Name, int Connections)> _users = new(Names.Comparer);

    /// <summary>Counts one more connection; true when it is the user's first (a join).</summary>
    public bool Add(string name)
    {
        if (_users.TryGetValue(name, out var entry))
        {
            _users[name] = (entry.Name, entry.Connections + 1);
            return false;
        }
        _users[name] = (name, 1);
        return true;
    }

    /// <summary>Counts one connection less; true when it was the user's last (a part).</summary>
    public bool Remove(string name)
    {
        if (!_users.TryGetValue(name, out var entry)) return false;
        if (entry.Connections > 1)
        {
            _users[name] = (entry.Name, entry.Connections - 1);
            return false;
        }
        _users.Remove(name);
        return true;
    }

    public bool IsOnline(string name) => _users.ContainsKey(name);

    public IReadOnlyList<string> OnlineNames() =>
        _users.Values.Select(u => u.Name).Order(StringComparer.OrdinalIgnoreCase).ToArray();
}
