using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// Reads of the event archive on disk, for what the room no longer keeps in memory; after start-up only
/// asynchronously and never on the room's loop. Every query walks the primary key (Id) from one end of a
/// range, each row's sender found by its number, so its cost follows the rows returned.
/// </summary>
public sealed class EventStore(IDbContextFactory<ChatDbContext> contexts)
{
    /// <summary>The newest <paramref name="count"/> events, oldest first.</summary>
    public List<ChatEvent> Newest(int count)
    {
        using var db = contexts.CreateDbContext();
        var newest = Rows(db).OrderByDescending(r => r.Event.Id).Take(count).ToList();
        newest.Reverse();
        return newest.ConvertAll(r => r.ToChatEvent());
    }

    /// <summary>The newest <paramref name="count"/> conversation events (talk, private notices) below <paramref name="beforeId"/>, oldest first: the room's talk archive at start.</summary>
    public List<ChatEvent> NewestConversation(long beforeId, int count)
    {
        using var db = contexts.CreateDbContext();
        var rows = Rows(db)
            .Where(r => r.Event.Id < beforeId && (r.Event.Kind != ChatEventKind.System || r.Event.To != null))
            .OrderByDescending(r => r.Event.Id).Take(count).ToList();
        rows.Reverse();
        return rows.ConvertAll(r => r.ToChatEvent());
    }

    /// <summary>Events visible to <paramref name="user"/> with <paramref name="afterId"/> &lt; id &lt; <paramref name="beforeId"/>, oldest first; read off the room's loop.</summary>
    public async Task<List<ChatEvent>> VisibleAsync(ChatUser user, long afterId, long beforeId, int limit, bool newest, bool conversationOnly, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = user.Name;
        var query = Rows(db)
            .Where(r => r.Event.Id > afterId && r.Event.Id < beforeId)
            .Where(r => r.Event.To == null || ((r.Event.To == name || r.From == name) && r.Event.Id > user.VisibleFromId));
        // Superseded edits (of messages deleted since: no text) are left out; a default replay holds talk and private notices only.
        query = query.Where(r => r.Event.Kind != ChatEventKind.Edit || r.Event.Text != null);
        if (conversationOnly)
            query = query.Where(r => r.Event.Kind == ChatEventKind.Message || r.Event.Kind == ChatEventKind.File || (r.Event.Kind == ChatEventKind.System && r.Event.To != null));
        var rows = await (newest ? query.OrderByDescending(r => r.Event.Id) : query.OrderBy(r => r.Event.Id)).Take(limit).ToListAsync(cancellationToken);
        if (newest) rows.Reverse();
        return rows.ConvertAll(r => r.ToChatEvent());
    }

    /// <summary>One event by id, or null when it is not (yet) on disk: a file's download, the target of a change older than the room's memory.</summary>
    public async Task<ChatEvent?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await Rows(db).FirstOrDefaultAsync(r => r.Event.Id == id, cancellationToken))?.ToChatEvent();
    }

    /// <summary>Public messages sent by <paramref name="name"/> after <paramref name="afterId"/> (where the name's current owner begins).</summary>
    public async Task<long> PublicMessageCountAsync(string name, long afterId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await PublicMessageCounts.CountAsync(db, name, afterId, cancellationToken);
    }

    /// <summary>Every row with its sender's name (none for system notices).</summary>
    private static IQueryable<Row> Rows(ChatDbContext db) =>
        db.Events.AsNoTracking().LeftJoin(db.Senders, e => e.FromId, s => (long?)s.Id, (e, s) => new Row { Event = e, From = s!.Name });

    private sealed class Row
    {
        public required StoredEvent Event { get; init; }
        public string? From { get; init; }

        public ChatEvent ToChatEvent() => Event.ToChatEvent(From);
    }
}
