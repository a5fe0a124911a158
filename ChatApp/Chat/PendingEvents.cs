namespace ChatApp.Chat;

/// <summary>
/// Events the room has handed to its log but not yet seen stored, by the ticket they were appended with, and whom
/// to answer once they are; a repeated clientId meanwhile waits for the same event instead of storing a second one.
/// Owned by the room loop.
/// </summary>
internal sealed class PendingEvents
{
    private readonly Dictionary<long, PendingEvent> _byTicket = new();
    private readonly Dictionary<(string User, string ClientId), PendingEvent> _byClientId = new();

    public int Count => _byTicket.Count;

    /// <summary>Remembers who waits for <paramref name="e"/>; events nobody waits for (notices) need no entry.</summary>
    public void Add(long ticket, ChatEvent e, RoomSubscriber? origin, TaskCompletionSource<PostResult>? reply, TaskCompletionSource<ChatEvent?>? noticeReply = null)
    {
        var pending = new PendingEvent(e, origin, reply, noticeReply);
        _byTicket.Add(ticket, pending);
        if (e.ClientId is not null && e.From is not null) _byClientId.TryAdd((Names.Key(e.From), e.ClientId), pending);
    }

    public PendingEvent? FindClientId(string user, string clientId) => _byClientId.GetValueOrDefault((Names.Key(user), clientId));

    /// <summary>Removes and returns the waiters of the event appended with <paramref name="ticket"/>, if any.</summary>
    public PendingEvent? Take(long ticket)
    {
        if (ticket == 0 || !_byTicket.Remove(ticket, out var pending)) return null;
        var e = pending.Event;
        if (e.ClientId is not null && e.From is not null) _byClientId.Remove((Names.Key(e.From), e.ClientId));
        return pending;
    }
}

/// <summary>One event waiting for its commit, and who is to hear of it.</summary>
internal sealed class PendingEvent(ChatEvent e, RoomSubscriber? origin, TaskCompletionSource<PostResult>? reply, TaskCompletionSource<ChatEvent?>? noticeReply)
{
    public ChatEvent Event { get; } = e;
    public RoomSubscriber? Origin { get; } = origin;
    public TaskCompletionSource<PostResult>? Reply { get; } = reply;
    public TaskCompletionSource<ChatEvent?>? NoticeReply { get; } = noticeReply;

    /// <summary>Sends of the same clientId that came while this one was pending: they get the echo as duplicates.</summary>
    public List<(RoomSubscriber? Origin, TaskCompletionSource<PostResult>? Reply)>? Repeats { get; private set; }

    public void AddRepeat(RoomSubscriber? origin, TaskCompletionSource<PostResult>? reply) => (Repeats ??= []).Add((origin, reply));
}
