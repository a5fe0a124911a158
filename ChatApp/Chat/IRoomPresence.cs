namespace ChatApp.Chat;

/// <summary>
/// Who is online: counted in this process (<see cref="DefaultRoomPresence"/>) or across every node through Redis
/// (<c>Scaleout/RedisRoomPresence</c>), chosen at start-up. Called on the room's loop only; never blocks.
/// </summary>
public interface IRoomPresence
{
    /// <summary>A presence connection opened; true when the room is to publish the user's join itself.</summary>
    bool Add(RoomSubscriber connection);

    /// <summary>A presence connection closed; true when the room is to publish the user's part itself.</summary>
    bool Remove(RoomSubscriber connection);

    /// <summary>
    /// The grace after a user's last connection closed (<see cref="Remove"/> answered true) ended: true when the
    /// user is to leave the list and the room is to publish their part (false when they came back meanwhile).
    /// </summary>
    bool Drop(string name);

    /// <summary>
    /// A user online when this process last ended (their join stored, no part since: the stop or the crash closed their
    /// connections). True when the user is listed again with no connection, as just after their last one closed, and the
    /// room is to give them the grace; false when already listed, or when presence outlives the process by itself (Redis).
    /// </summary>
    bool Resume(string name);

    /// <summary>Every stored event, in id order, as the room applies it (a shared roster follows join and part notices).</summary>
    void Applied(ChatEvent e);

    /// <summary>
    /// The sorted list as it is now, for answers that leave the room's loop: never changed afterwards, and the same
    /// instance until presence next changes (the chat page caches its drawing of the list by it).
    /// </summary>
    IReadOnlyList<string> OnlineNames();

    /// <summary>The live sorted list, for use inside the room's loop only (a roster frame is written from it at once).</summary>
    IReadOnlyList<string> SortedNames { get; }
}
