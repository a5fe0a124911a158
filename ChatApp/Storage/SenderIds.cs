using System.Text.Json;
using ChatApp.Chat;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatApp.Storage;

/// <summary>
/// The writer's numbers for senders' names (<see cref="Sender"/>), so that a row is written without looking its sender
/// up. A name not known yet is added to Senders (or found there) in the batch's transaction, and remembered only once
/// that commits: a batch that fails takes its new numbers with it. Owned by the writer's loop.
/// </summary>
internal sealed class SenderIds
{
    private const string AddSql = """
        INSERT INTO Senders (Name, CountedAfterId, PublicMessages) SELECT DISTINCT value, 0, 0 FROM json_each($names) WHERE true
        ON CONFLICT (Name) DO NOTHING;
        SELECT Name, Id FROM Senders WHERE Name IN (SELECT value FROM json_each($names));
        """;

    private readonly Dictionary<string, long> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);

    /// <summary>Numbers every sender of <paramref name="batch"/>, in the transaction <paramref name="db"/> has begun.</summary>
    public void Resolve(ChatDbContext db, List<ChatEvent> batch)
    {
        _pending.Clear();
        HashSet<string>? unknown = null;
        foreach (var e in batch)
            if (e.From is { } from && !_committed.ContainsKey(from)) (unknown ??= new(StringComparer.Ordinal)).Add(from);
        if (unknown is null) return;
        using var command = (SqliteCommand)db.Database.GetDbConnection().CreateCommand();
        command.Transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = AddSql;
        command.Parameters.AddWithValue("$names", JsonSerializer.Serialize(unknown));
        using var rows = command.ExecuteReader();
        while (rows.Read()) _pending[rows.GetString(0)] = rows.GetInt64(1);
    }

    public long? IdOf(string? name) => name is null ? null : _committed.TryGetValue(name, out var id) ? id : _pending[name];

    /// <summary>The batch committed: its new numbers are the database's now.</summary>
    public void Committed()
    {
        foreach (var (name, id) in _pending) _committed[name] = id;
        _pending.Clear();
    }
}
