namespace ChatApp.Chat;

/// <summary>
/// Recent (user, clientId) pairs and the events they stored, so a repeated send is echoed, not stored
/// twice (PROTOCOL.md §2.2). Remembers the newest <c>capacity</c> pairs; owned by the room loop.
/// </summary>
internal sealed class ClientIdIndex(int capacity)
{
    private readonly Dictionary<(string User, string ClientId), ChatEvent> _events = new();
    private readonly Queue<(string User, string ClientId)> _order = new();

    public ChatEvent? Find(string user, string clientId) => _events.GetValueOrDefault((Names.Key(user), clientId));

    public void Add(ChatEvent e)
    {
        if (e.ClientId is null || e.From is null) return;
        var key = (Names.Key(e.From), e.ClientId);
        if (!_events.TryAdd(key, e)) return;
        _order.Enqueue(key);
        if (_order.Count > capacity) _events.Remove(_order.Dequeue());
    }
}
