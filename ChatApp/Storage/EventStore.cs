using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// Reads of the event archive on disk, for what the room no longer keeps in memory. Every query walks the
/// primary key (Id) from one end of a range or the sender index, so its cost follows the rows returned.
/// </summary>
public sealed class EventStore(IDbContextFactory<ChatDbContext> contexts)
{
    /// <summary>One event by id, or null when it is not (yet) on disk.</summary>
    public ChatEvent? Find(long id)
    {
        using var db = contexts.CreateDbContext();
        return db.Events.AsNoTracking().FirstOrDefault(e => e.Id == id)?.ToChatEvent();
    }

    /// <summary>The newest <paramref name="count"/> events, oldest first.</summary>
    public List<ChatEvent> Newest(int count)
    {
        using var db = contexts.CreateDbContext();
        var newest = db.Events.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToList();
        newest.Reverse();
        return newest.ConvertAll(e => e.ToChatEvent());
    }

    /// <summary>Events visible to <paramref name="user"/> with <paramref name="afterId"/> &lt; id &lt; <paramref name="beforeId"/>, oldest first.</summary>
    public List<ChatEvent> Visible(ChatUser user, long afterId, long beforeId, int limit, bool newest, bool conversationOnly = false)
    {
        using var db = contexts.CreateDbContext();
        var name = user.Name;
        var query = db.Events.AsNoTracking()
            .Where(e => e.Id > afterId && e.Id < beforeId)
            .Where(e => e.To == null || ((e.To == name || e.From == name) && e.Id > user.VisibleFromId));
        if (conversationOnly) query = query.Where(e => e.Kind != ChatEventKind.System || e.To != null);
        var rows = (newest ? query.OrderByDescending(e => e.Id) : query.OrderBy(e => e.Id)).Take(limit).ToList();
        if (newest) rows.Reverse();
        return rows.ConvertAll(e => e.ToChatEvent());
    }

    /// <summary>Public messages sent by <paramref name="name"/> after <paramref name="afterId"/> (where the name's current owner begins).</summary>
    public int PublicMessageCount(string name, long afterId)
    {
        using var db = contexts.CreateDbContext();
        return db.Events.Count(e => e.From == name && e.To == null && e.Kind == ChatEventKind.Message && e.Id > afterId);
    }
}
