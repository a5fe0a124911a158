using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// Reads of the event archive on disk, for what the room no longer keeps in memory; after start-up only
/// asynchronously and never on the room's loop. Every query walks the primary key (Id) from one end of a
/// range or the sender index, so its cost follows the rows returned.
/// </summary>
public sealed class EventStore(IDbContextFactory<ChatDbContext> contexts)
{
    /// <summary>The newest <paramref name="count"/> events, oldest first.</summary>
    public List<ChatEvent> Newest(int count)
    {
        using var db = contexts.CreateDbContext();
        var newest = db.Events.AsNoTracking().OrderByDescending(e => e.Id).Take(count).ToList();
        newest.Reverse();
        return newest.ConvertAll(e => e.ToChatEvent());
    }

    /// <summary>The newest <paramref name="count"/> conversation events (talk, private notices) below <paramref name="beforeId"/>, oldest first: the room's talk archive at start.</summary>
    public List<ChatEvent> NewestConversation(long beforeId, int count)
    {
        using var db = contexts.CreateDbContext();
        var rows = db.Events.AsNoTracking()
            .Where(e => e.Id < beforeId && (e.Kind != ChatEventKind.System || e.To != null))
            .OrderByDescending(e => e.Id).Take(count).ToList();
        rows.Reverse();
        return rows.ConvertAll(e => e.ToChatEvent());
    }

    /// <summary>Events visible to <paramref name="user"/> with <paramref name="afterId"/> &lt; id &lt; <paramref name="beforeId"/>, oldest first; read off the room's loop.</summary>
    public async Task<List<ChatEvent>> VisibleAsync(ChatUser user, long afterId, long beforeId, int limit, bool newest, bool conversationOnly, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = user.Name;
        var query = db.Events.AsNoTracking()
            .Where(e => e.Id > afterId && e.Id < beforeId)
            .Where(e => e.To == null || ((e.To == name || e.From == name) && e.Id > user.VisibleFromId));
        // Superseded edits (of messages deleted since) are left out; a default replay holds talk and private notices only.
        query = query.Where(e => e.Kind != ChatEventKind.Edit || !e.Deleted);
        if (conversationOnly)
            query = query.Where(e => e.Kind == ChatEventKind.Message || e.Kind == ChatEventKind.File || (e.Kind == ChatEventKind.System && e.To != null));
        var rows = await (newest ? query.OrderByDescending(e => e.Id) : query.OrderBy(e => e.Id)).Take(limit).ToListAsync(cancellationToken);
        if (newest) rows.Reverse();
        return rows.ConvertAll(e => e.ToChatEvent());
    }

    /// <summary>One event by id, or null when it is not (yet) on disk: a file's download, the target of a change older than the room's memory.</summary>
    public async Task<ChatEvent?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, cancellationToken))?.ToChatEvent();
    }

    /// <summary>Public messages sent by <paramref name="name"/> after <paramref name="afterId"/> (where the name's current owner begins).</summary>
    public async Task<int> PublicMessageCountAsync(string name, long afterId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Events.CountAsync(e => e.From == name && e.To == null && e.Kind == ChatEventKind.Message && e.Id > afterId, cancellationToken);
    }
}
