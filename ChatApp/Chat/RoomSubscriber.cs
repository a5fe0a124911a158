namespace ChatApp.Chat;

/// <summary>
/// Something the room delivers events to: a WebSocket connection, a STOMP session, a waiting long poll.
/// Every method is called by the room loop only and must not block: queue and return.
/// </summary>
public abstract class RoomSubscriber(ChatUser user)
{
    public ChatUser User { get; } = user;

    /// <summary>True when this subscriber makes its user "online" (roster, join and part).</summary>
    public abstract bool IsPresence { get; }

    /// <summary>Live events only: whether the room should replay history and send welcome, replayed and roster.</summary>
    public virtual bool WantsHistory => IsPresence;

    public virtual void Welcome(long lastId) { }
    public virtual void Replay(StoredEvent e) { }
    public virtual void Replayed(int count, long lastId) { }
    /// <summary>The end of the replay; <paramref name="truncated"/> when a since replay was capped at Chat:MaxReplay (PROTOCOL.md §2.3).</summary>
    public virtual void Replayed(int count, long lastId, bool truncated) => Replayed(count, lastId);
    /// <summary>The online names; a view owned by the room, valid only during this call.</summary>
    public virtual void Roster(IReadOnlyList<string> users) { }

    /// <summary>
    /// A live event this subscriber's user may see. <paramref name="fromThisSubscriber"/> is true for the echo to the sending
    /// connection. Its frames (<see cref="StoredEvent.Frame"/>) are shared with every other recipient.
    /// </summary>
    public abstract void Deliver(StoredEvent e, bool fromThisSubscriber);

    /// <summary>
    /// Public events stored together, in order, for everyone (<see cref="StoredRun"/>): a subscriber whose frames are the
    /// same for every recipient queues them as one item and returns true. False (the default): the room calls
    /// <see cref="Deliver"/> for each.
    /// </summary>
    public virtual bool DeliverRun(StoredRun run) => false;

    /// <summary>The room's periodic keep-alive: sockets ping, so a dead peer is found when the write fails.</summary>
    public virtual void Heartbeat() { }

    /// <summary>The room refused a frame this subscriber sent.</summary>
    public virtual void Refuse(ChatError error, string? clientId) { }
}
