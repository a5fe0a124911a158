namespace ChatApp.Chat;

/// <summary>
/// Who is online in this one process: open presence connections per user name. A user whose last connection closed
/// stays listed (with none) until <see cref="Drop(string)"/>: the room drops them when their part is sent
/// (<see cref="PresenceGrace"/>). Owned by the room loop.
/// </summary>
public sealed class DefaultRoomPresence : IRoomPresence
{
    public bool Add(RoomSubscriber connection) => Add(connection.User.Name);

    public bool Remove(RoomSubscriber connection) => Remove(connection.User.Name);

    public void Applied(ChatEvent e) { } // the count changed when the connection came or went

    private readonly Dictionary<string, (string Name, int Connections)> _users = new(Names.Comparer);

    // Kept sorted as users come and go, so a roster costs a copy, not a sort, per connection.
    private readonly RosterView _view = new();

    /// <summary>Users online.</summary>
    public int Count => _view.Count;

    /// <summary>Counts one more connection; true when the user was not listed (a join).</summary>
    public bool Add(string name)
    {
        if (_users.TryGetValue(name, out var entry))
        {
            _users[name] = (entry.Name, entry.Connections + 1);
            return false;
        }
        _users[name] = (name, 1);
        var at = _view.IndexOf(name);
        _view.Insert(at < 0 ? ~at : at, name);
        return true;
    }

    /// <summary>Counts one connection less; true when it was the user's last (who stays listed until <see cref="Drop"/>).</summary>
    public bool Remove(string name)
    {
        if (!_users.TryGetValue(name, out var entry) || entry.Connections == 0) return false;
        _users[name] = (entry.Name, entry.Connections - 1);
        return entry.Connections == 1;
    }

    /// <summary>Lists a user with no connection, as after their last one closed (a restart's grace); false when already listed.</summary>
    public bool Resume(string name)
    {
        if (_users.ContainsKey(name)) return false;
        _users[name] = (name, 0);
        var at = _view.IndexOf(name);
        _view.Insert(at < 0 ? ~at : at, name);
        return true;
    }

    /// <summary>Unlists a user who has no connection left (their part); false when they have one again.</summary>
    public bool Drop(string name)
    {
        if (!_users.TryGetValue(name, out var entry) || entry.Connections > 0) return false;
        _users.Remove(name);
        var at = _view.IndexOf(entry.Name);
        if (at >= 0) _view.RemoveAt(at);
        return true;
    }

    public IReadOnlyList<string> OnlineNames() => _view.Snapshot();

    /// <summary>The live sorted list, for use inside the room's loop only; its frames are cached until the next change.</summary>
    public IReadOnlyList<string> SortedNames => _view;
}
