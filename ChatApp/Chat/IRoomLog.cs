namespace ChatApp.Chat;

/// <summary>
/// Where the room's new events get their ids, limits and storage: in this process (<see cref="DefaultRoomLog"/>) or
/// shared by every node through Redis (<c>Scaleout/RedisRoomLog</c>), chosen at start-up. Either way each stored
/// event comes back to the room through the <see cref="RoomInbox"/> in id order (carrying the ticket it was appended
/// with), and so does a refusal or a repeated clientId found later.
/// Called on the room's loop only; never blocks.
/// </summary>
public interface IRoomLog
{
    /// <summary>Id of the newest event numbered or applied here; ids keep growing across restarts.</summary>
    long LastId { get; }

    /// <summary>Starts after <paramref name="lastStoredId"/>, the newest event on this node's disk; answers go to <paramref name="inbox"/>.</summary>
    Task StartAsync(long lastStoredId, RoomInbox inbox, CancellationToken cancellationToken);

    /// <summary>
    /// Completes once every event the log held when it started is stored here and handed to the room (a node that
    /// was down catches up before it serves anyone), or once waiting longer makes no sense; the room's loop is
    /// running by then. Called once, after <see cref="StartAsync"/>, before the server takes connections.
    /// </summary>
    Task CaughtUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Hands over a new event (its id is the log's to give). A user's send counts against their rate limit when
    /// <paramref name="limited"/>; a refusal known at once is returned, otherwise the answer comes back later.
    /// </summary>
    ChatError? Append(ChatEvent e, long ticket, bool limited);

    /// <summary>Null when new events can be stored now, else why not (for /healthz).</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);
}
