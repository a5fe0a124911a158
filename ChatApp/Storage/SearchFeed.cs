using System.Text;
using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatApp.Storage;

/// <summary>
/// Adds a stored batch's texts to the search index (EventSearch, FTS5), in the batch's transaction, in one statement
/// that reads them through the index's own view (EventSearchText: which kinds, which text). No trigger does it per
/// row: SQLite wraps each insert in a savepoint when a trigger writes another table, and FTS5 writes its pending terms
/// to disk at every savepoint, so a trigger made a new index segment per message (about 20 µs each, then merged).
/// Edits and deletions still reach the index by triggers (IntegerTimesAndKinds), after the batch's texts are in.
/// </summary>
internal static class SearchFeed
{
    private const string Sql = """
        INSERT INTO EventSearch(rowid, Body)
        SELECT Id, Body FROM EventSearchText WHERE Id IN (SELECT value FROM json_each($ids))
        """;

    public static void Add(ChatDbContext db, List<ChatEvent> batch)
    {
        var ids = new StringBuilder(batch.Count * 8).Append('[');
        foreach (var e in batch)
            if (e.Kind is ChatEventKind.Message or ChatEventKind.File) ids.Append(e.Id).Append(',');
        if (ids.Length == 1) return;
        ids[^1] = ']';
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = Sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$ids";
        parameter.Value = ids.ToString();
        command.Parameters.Add(parameter);
        command.ExecuteNonQuery();
    }
}
