namespace ChatApp.Chat;

/// <summary>
/// The target of an edit or deletion older than the room's memory, as <see cref="TargetReader"/> read it from disk off
/// the loop: the row (null when there is none), or <see cref="Failed"/> when the read itself failed.
/// </summary>
internal sealed record TargetRead(long Id, ChatEvent? Event, bool Failed = false);
