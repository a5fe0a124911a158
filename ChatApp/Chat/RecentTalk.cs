namespace ChatApp.Chat;

/// <summary>
/// The newest messages and files a user may see, oldest first, and <see cref="LastId"/>: the newest event id
/// they may see at that moment (system notices included), from which a live client goes on without a gap.
/// </summary>
public sealed record RecentTalk(IReadOnlyList<ChatEvent> Events, long LastId);
