namespace ChatApp.Chat;

/// <summary>Who is online in this one process: open presence connections per user name. Owned by the room loop.</summary>
public sealed class DefaultRoomPresence : IRoomPresence
{
    public bool Add(RoomSubscriber connection) => Add(connection.User.Name);

    public bool Remove(RoomSubscriber connection) => Remove(connection.User.Name);

    public void Applied(ChatEvent e) { } // the count changed when the connection came or went

    private readonly Dictionary<string, (string Name, int Connections)> _users = new(Names.Comparer);

    // Kept sorted as users come and go, so a roster costs a copy, not a sort, per connection.
    private readonly List<string> _sorted = [];

    /// <summary>Counts one more connection; true when it is the user's first (a join).</summary>
    public bool Add(string name)
    {
        if (_users.TryGetValue(name, out var entry))
        {
            _users[name] = (entry.Name, entry.Connections + 1);
            return false;
        }
        _users[name] = (name, 1);
        var at = _sorted.BinarySearch(name, StringComparer.OrdinalIgnoreCase);
        _sorted.Insert(at < 0 ? ~at : at, name);
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
        var at = _sorted.BinarySearch(entry.Name, StringComparer.OrdinalIgnoreCase);
        if (at >= 0) _sorted.RemoveAt(at);
        return true;
    }

    /// <summary>The live sorted list, for use inside the room's loop only (a roster frame is written from it at once).</summary>
    public IReadOnlyList<string> SortedNames => _sorted;
}
