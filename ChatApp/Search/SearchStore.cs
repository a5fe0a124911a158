using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Search;

/// <summary>Full-text search over the archive on disk (the EventSearch FTS5 table, Storage/Migrations/*_EditsMentionsSearch.cs), newest first, only what the reader may see.</summary>
public sealed class SearchStore(IDbContextFactory<ChatDbContext> contexts)
{
    private const int SnippetTokens = 16;

    // Ordered by the index's own rowid (the event id), which FTS5 walks newest first and stops at the limit; ordered by
    // e.Id it sorted every match first (4 s for a common word in 1,000,000 events).
    // The visibility rule of ChatEvent.IsVisibleTo, in SQL: public, or to or from the reader since their name became theirs.
    private static readonly string Sql = $"""
        SELECT e.Id, e.Ts, e.Kind, s.Name, e."To", e.Text, e.ClientId, e.Target, e.Extra,
               snippet(EventSearch, 0, char({(int)SearchSnippet.Open}), char({(int)SearchSnippet.Close}), '{SearchSnippet.Ellipsis}', {SnippetTokens})
        FROM EventSearch JOIN Events e ON e.Id = EventSearch.rowid LEFT JOIN Senders s ON s.Id = e.FromId
        WHERE EventSearch MATCH $match AND e.Text IS NOT NULL
          AND (e."To" IS NULL OR ((e."To" = $name OR s.Name = $name) AND e.Id > $visibleFrom))
        ORDER BY EventSearch.rowid DESC
        LIMIT $limit
        """;

    /// <param name="match">an FTS5 expression from <see cref="SearchQuery.Parse"/></param>
    public async Task<List<SearchHit>> SearchAsync(ChatUser reader, string match, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$name", reader.Name);
        command.Parameters.AddWithValue("$visibleFrom", reader.VisibleFromId);
        command.Parameters.AddWithValue("$limit", limit);
        var hits = new List<SearchHit>();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            // The row as Storage keeps it (Storage/StoredEvent.cs), read back as the event it holds; a deleted one (no text) never matches.
            var e = new Storage.StoredEvent
            {
                Id = rows.GetInt64(0),
                Ts = UnixMilliseconds.ToTime(rows.GetInt64(1)),
                Kind = (ChatEventKind)rows.GetInt32(2),
                To = NullOr(rows, 4),
                Text = NullOr(rows, 5),
                ClientId = NullOr(rows, 6),
                Target = rows.IsDBNull(7) ? null : rows.GetInt64(7),
                Extra = NullOr(rows, 8),
            }.ToChatEvent(from: NullOr(rows, 3));
            hits.Add(new SearchHit(e.Id, e.Ts, e.Kind, e.From, e.To, e.Text, e.FileName, SearchSnippet.ToHtml(NullOr(rows, 9) ?? "")));
        }
        return hits;
    }

    private static string? NullOr(SqliteDataReader rows, int column) => rows.IsDBNull(column) ? null : rows.GetString(column);
}
