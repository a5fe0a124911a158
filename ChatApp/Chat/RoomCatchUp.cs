namespace ChatApp.Chat;

/// <summary>What <see cref="ChatRoom.CatchUpAsync"/> hands over on the room's loop: the replay (oldest first), its last id, whether it was cut to Chat:MaxReplay, and the online names (a view valid only during the call).</summary>
public sealed record RoomCatchUp(IReadOnlyList<StoredEvent> Replay, long LastId, bool Truncated, IReadOnlyList<string> Roster);
