namespace ChatApp.Chat;

/// <summary>
/// A part of a history query that memory cannot answer: the events <see cref="User"/> may see with
/// <see cref="AfterId"/> &lt; id &lt; <see cref="BeforeId"/> (the first or the newest <see cref="Limit"/>). The room's
/// loop never reads the disk: it hands this back, the caller reads it on its own time and asks again with
/// the result (<see cref="HistoryPage"/>), and the loop adds what it holds from <see cref="BeforeId"/> on.
/// </summary>
public sealed record HistoryRead(ChatUser User, long AfterId, long BeforeId, int Limit, bool Newest, bool ConversationOnly);

/// <summary>The events read from disk for a <see cref="HistoryRead"/>, oldest first.</summary>
public sealed record HistoryPage(HistoryRead Read, List<ChatEvent> Events);
