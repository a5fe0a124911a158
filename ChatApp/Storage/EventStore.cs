using ChatApp.Chat;
using Microsoft.Data.Sqlite;
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

    /// <summary>
    /// The users online when the process last ended, as far as its stored notices go (a join and no part since: their
    /// connections were closed by the stop or the crash), in no order. Read once at start-up.
    /// </summary>
    public List<string> OnlineAtLastStop()
    {
        using var db = contexts.CreateDbContext();
        return db.OnlineUsers.AsNoTracking().Select(u => u.Name).ToList();
    }

    /// <summary>The newest <paramref name="count"/> public messages and files below <paramref name="beforeId"/>, oldest first: the room's talk archive at start.</summary>
    public List<ChatEvent> NewestPublicTalk(long beforeId, int count)
    {
        using var db = contexts.CreateDbContext();
        using var command = OpenCommand(db, PublicTalkSql);
        command.Parameters.AddWithValue("$before", beforeId);
        command.Parameters.AddWithValue("$limit", count);
        var events = new List<ChatEvent>(Math.Min(count, 4096));
        using (var reader = command.ExecuteReader())
            while (reader.Read()) events.Add(Read(reader));
        events.Reverse();
        return events;
    }

    /// <summary>
    /// The private conversation (private messages, files and notices) with <paramref name="fromId"/> &lt;= id &lt;
    /// <paramref name="beforeId"/>: the newest <paramref name="hold"/> of it, oldest first, and of the rest only each
    /// name's newest id, as sender or addressee. At start, for the room's private talk archive.
    /// </summary>
    public PrivateConversationRead PrivateConversation(long fromId, long beforeId, int hold)
    {
        using var db = contexts.CreateDbContext();
        using var command = OpenCommand(db, PrivateTalkSql);
        command.Parameters.AddWithValue("$from", fromId);
        command.Parameters.AddWithValue("$before", beforeId);
        var held = new List<ChatEvent>(Math.Min(hold, 4096));
        var newest = new Dictionary<string, long>(Names.Comparer);
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                if (held.Count < hold)
                {
                    held.Add(Read(reader));
                    continue;
                }
                var id = reader.GetInt64(0);
                newest.TryAdd(reader.GetString(4), id); // newest first: the first id seen for a name is its newest
                if (!reader.IsDBNull(9)) newest.TryAdd(reader.GetString(9), id);
            }
        held.Reverse();
        return new PrivateConversationRead(held, newest, More: newest.Count > 0);
    }

    /// <summary>A command of SQLite's own on <paramref name="db"/>'s connection (opened by the caller).</summary>
    private static SqliteCommand Command(ChatDbContext db, string sql)
    {
        var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary><see cref="Command"/> after opening the connection, through the interceptor that sets its pragmas; at start, off the loop.</summary>
    private static SqliteCommand OpenCommand(ChatDbContext db, string sql)
    {
        db.Database.OpenConnection();
        return Command(db, sql);
    }

    /// <summary><see cref="NewestPublicTalk"/>'s query: the key walked down from <c>$before</c>.</summary>
    internal static readonly string PublicTalkSql =
        $"SELECT {RowColumns} FROM \"Events\" AS e LEFT JOIN \"Senders\" AS s ON e.\"FromId\" = s.\"Id\" " +
        $"WHERE e.\"Id\" < $before AND e.\"To\" IS NULL AND e.\"Kind\" IN ({(int)ChatEventKind.Message}, {(int)ChatEventKind.File}) " +
        "ORDER BY e.\"Id\" DESC LIMIT $limit";

    /// <summary>
    /// <see cref="PrivateConversation"/>'s query: the key walked down from <c>$before</c> to <c>$from</c>. The <c>+</c>
    /// keeps it off the index of addressees (<c>IX_Events_To</c>), which would read every private row and sort them.
    /// </summary>
    internal static readonly string PrivateTalkSql =
        $"SELECT {RowColumns} FROM \"Events\" AS e LEFT JOIN \"Senders\" AS s ON e.\"FromId\" = s.\"Id\" " +
        "WHERE e.\"Id\" >= $from AND e.\"Id\" < $before AND +e.\"To\" IS NOT NULL " +
        $"AND e.\"Kind\" IN ({(int)ChatEventKind.Message}, {(int)ChatEventKind.File}, {(int)ChatEventKind.System}) ORDER BY e.\"Id\" DESC";

    /// <summary>Events visible to <paramref name="user"/> with <paramref name="afterId"/> &lt; id &lt; <paramref name="beforeId"/>, oldest first; read off the room's loop.</summary>
    /// <remarks>
    /// The reads that page and replay history, read with SQLite's own reader rather than EF's: materializing a page of
    /// 100 rows through EF took most of a <c>GET /api/messages</c> (about 5 µs a row, where SQLite runs the query in a
    /// tenth of that). The filter is <see cref="VisibleSql"/>; the rows are mapped as every read maps them (<see cref="StoredEvent"/>).
    /// </remarks>
    public async Task<List<ChatEvent>> VisibleAsync(ChatUser user, long afterId, long beforeId, int limit, bool newest, bool conversationOnly, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken); // through the interceptor that sets the connection's pragmas
        await using var command = Command(db, VisibleSql(newest, conversationOnly));
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$before", beforeId);
        command.Parameters.AddWithValue("$name", user.Name);
        command.Parameters.AddWithValue("$visibleFrom", user.VisibleFromId);
        command.Parameters.AddWithValue("$limit", limit);
        var events = new List<ChatEvent>(Math.Min(limit, 1024));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) events.Add(Read(reader));
        if (newest) events.Reverse();
        return events;
    }

    /// <summary>
    /// What <see cref="VisibleAsync"/> runs: public events, and private ones to or from the reader above where the name's
    /// owner begins; no superseded edits (of messages deleted since: no text); with <paramref name="conversationOnly"/>,
    /// talk and private notices only. It walks the key from one end of the range (EventStoreQueryPlanTests).
    /// </summary>
    internal static string VisibleSql(bool newest, bool conversationOnly) =>
        $"SELECT {RowColumns} FROM \"Events\" AS e LEFT JOIN \"Senders\" AS s ON e.\"FromId\" = s.\"Id\" " +
        "WHERE e.\"Id\" > $after AND e.\"Id\" < $before " +
        "AND (e.\"To\" IS NULL OR ((e.\"To\" = $name OR s.\"Name\" = $name) AND e.\"Id\" > $visibleFrom)) " +
        $"AND (e.\"Kind\" <> {(int)ChatEventKind.Edit} OR e.\"Text\" IS NOT NULL) " +
        (conversationOnly
            ? $"AND (e.\"Kind\" IN ({(int)ChatEventKind.Message}, {(int)ChatEventKind.File}) OR (e.\"Kind\" = {(int)ChatEventKind.System} AND e.\"To\" IS NOT NULL)) "
            : "") +
        $"ORDER BY e.\"Id\"{(newest ? " DESC" : "")} LIMIT $limit";

    private const string RowColumns =
        "e.\"Id\", e.\"Ts\", e.\"Kind\", e.\"FromId\", e.\"To\", e.\"Text\", e.\"ClientId\", e.\"Target\", e.\"Extra\", s.\"Name\"";

    /// <summary>One row of <see cref="RowColumns"/> as the event it holds.</summary>
    private static ChatEvent Read(SqliteDataReader reader) => new StoredEvent
    {
        Id = reader.GetInt64(0),
        Ts = UnixMilliseconds.ToTime(reader.GetInt64(1)),
        Kind = (ChatEventKind)reader.GetInt32(2),
        FromId = reader.IsDBNull(3) ? null : reader.GetInt64(3),
        To = reader.IsDBNull(4) ? null : reader.GetString(4),
        Text = reader.IsDBNull(5) ? null : reader.GetString(5),
        ClientId = reader.IsDBNull(6) ? null : reader.GetString(6),
        Target = reader.IsDBNull(7) ? null : reader.GetInt64(7),
        Extra = reader.IsDBNull(8) ? null : reader.GetString(8),
    }.ToChatEvent(reader.IsDBNull(9) ? null : reader.GetString(9));

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

    /// <summary>What <see cref="PrivateConversation"/> read: the events held, and each name's newest id among the rest (<paramref name="More"/>: there was a rest).</summary>
    public sealed record PrivateConversationRead(List<ChatEvent> Held, IReadOnlyDictionary<string, long> NewestPerName, bool More);

    private sealed class Row
    {
        public required StoredEvent Event { get; init; }
        public string? From { get; init; }

        public ChatEvent ToChatEvent() => Event.ToChatEvent(From);
    }
}
