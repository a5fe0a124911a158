using System.Text;
using ChatApp.Chat;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// The profile page's count of a user's public messages (PROTOCOL.md §3), kept per sender in <see cref="Sender"/> rather
/// than counted in an index of every public message (16 MiB per million): the writer adds each batch's in the batch's
/// transaction, so the count is exactly as durable as the events. A count is of the messages above one id, where the
/// name's current owner begins (<c>VisibleFromId</c>: a released name's new owner inherits nothing). A claim moves the
/// count there, as does a read that asks from another id (a name claimed on another node, with Chat:Redis), by counting
/// the rows between the two ids or those above the new one, whichever range is shorter. The writer counts only ids above
/// it, so an old owner's messages still being written when their name is claimed are never counted for the new one.
/// </summary>
internal static class PublicMessageCounts
{
    /// <summary>What is counted, as the index this replaced was filtered: public messages (0: Message), deleted or not.</summary>
    private const string Counted = "\"To\" IS NULL AND Kind = 0";

    private const string AddSql = $"""
        UPDATE Senders SET PublicMessages = PublicMessages + batch.Count
        FROM (SELECT e.FromId AS Id, count(*) AS Count FROM Events e JOIN Senders s ON s.Id = e.FromId
              WHERE e.Id IN (SELECT value FROM json_each($ids)) AND {Counted} AND e.Id > s.CountedAfterId
              GROUP BY e.FromId) AS batch
        WHERE Senders.Id = batch.Id
        """;

    private const string AddSenderSql = "INSERT INTO Senders (Name, CountedAfterId, PublicMessages) VALUES ($name, $afterId, 0)";

    private const string RangeSql = $"SELECT count(*) AS Value FROM Events WHERE Id > $low AND Id <= $high AND FromId = $sender AND {Counted}";

    /// <summary>Counts the batch's public messages, after its rows, in its transaction.</summary>
    public static void Add(ChatDbContext db, List<ChatEvent> batch)
    {
        var ids = new StringBuilder(batch.Count * 8).Append('[');
        foreach (var e in batch)
            if (e is { Kind: ChatEventKind.Message, To: null }) ids.Append(e.Id).Append(',');
        if (ids.Length == 1) return;
        ids[^1] = ']';
        db.Database.ExecuteSqlRaw(AddSql, new SqliteParameter("$ids", ids.ToString()));
    }

    /// <summary>Public messages from <paramref name="name"/> with ids above <paramref name="afterId"/>, as committed.</summary>
    public static async Task<long> CountAsync(ChatDbContext db, string name, long afterId, CancellationToken cancellationToken)
    {
        var counted = await db.Senders.AsNoTracking().Where(s => s.Name == name)
            .Select(s => new { s.CountedAfterId, s.PublicMessages }).FirstOrDefaultAsync(cancellationToken);
        if (counted is null) return 0; // nothing from this name is stored
        return counted.CountedAfterId == afterId ? counted.PublicMessages : await MoveAsync(db, name, afterId, cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="name"/>'s count the messages above <paramref name="afterId"/>, in the caller's transaction or one
    /// of its own (which, like the writer's, holds the write lock from the start), and returns it.
    /// </summary>
    public static async Task<long> MoveAsync(ChatDbContext db, string name, long afterId, CancellationToken cancellationToken)
    {
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var sender = await db.Senders.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        long count;
        if (sender is null)
        {
            // Nothing from the name is stored yet, so nothing to count; the row keeps the writer from counting what is still to come at or below afterId.
            count = 0;
            await db.Database.ExecuteSqlRawAsync(AddSenderSql, [new SqliteParameter("$name", name), new SqliteParameter("$afterId", afterId)], cancellationToken);
        }
        else if (sender.CountedAfterId == afterId)
        {
            count = sender.PublicMessages;
        }
        else
        {
            var top = await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
            var (low, high) = (Math.Min(afterId, sender.CountedAfterId), Math.Max(afterId, sender.CountedAfterId));
            if (top - afterId <= high - low)
            {
                count = await RangeAsync(db, sender.Id, afterId, top, cancellationToken);
            }
            else
            {
                var between = await RangeAsync(db, sender.Id, low, high, cancellationToken);
                count = afterId > sender.CountedAfterId ? sender.PublicMessages - between : sender.PublicMessages + between;
            }
            await db.Senders.Where(s => s.Id == sender.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.CountedAfterId, afterId)
                .SetProperty(x => x.PublicMessages, count), cancellationToken);
        }
        if (own is not null) await own.CommitAsync(cancellationToken);
        return count;
    }

    /// <summary>The sender's public messages with low &lt; id &lt;= high: the rows of that range of the key, read one by one.</summary>
    private static async Task<long> RangeAsync(ChatDbContext db, long sender, long low, long high, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<long>(RangeSql,
            new SqliteParameter("$low", low), new SqliteParameter("$high", high), new SqliteParameter("$sender", sender))
            .ToListAsync(cancellationToken)).Single();
}
