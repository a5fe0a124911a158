namespace ChatApp.Chat;

/// <summary>
/// A signed-in user as the room sees them. <see cref="VisibleFromId"/> is the newest event id at the
/// moment this owner claimed the name: a released and re-claimed name sees none of the old owner's private events.
/// </summary>
public sealed record ChatUser(string Name, long VisibleFromId = 0);
