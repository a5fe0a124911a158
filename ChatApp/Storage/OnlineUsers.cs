using System.Text.Json;
using ChatApp.Chat;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// Who was online as far as the stored notices go (<see cref="OnlineUser"/>): the writer applies each batch's joins and
/// parts in the batch's transaction, so the table is exactly as durable as the notices, a kill -9 included; the room
/// reads it once at start-up (<see cref="EventStore.OnlineAtLastStop"/>).
/// </summary>
internal static class OnlineUsers
{
    private const string JoinSql = """
        INSERT OR REPLACE INTO OnlineUsers (NameKey, Name)
        SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($joined)
        """;

    private const string PartSql = "DELETE FROM OnlineUsers WHERE NameKey IN (SELECT value FROM json_each($parted))";

    /// <summary>The batch's joins and parts, in its transaction: per user, the batch's last notice decides.</summary>
    public static void Apply(ChatDbContext db, List<ChatEvent> batch)
    {
        Dictionary<string, string?>? latest = null; // name key -> the name (a join) or null (a part)
        foreach (var e in batch)
            if (e is { Kind: ChatEventKind.System, SystemEvent: "join" or "part", User: { } user })
                (latest ??= new(StringComparer.Ordinal))[Names.Key(user)] = e.SystemEvent == "join" ? user : null;
        if (latest is null) return;
        var joined = latest.Where(p => p.Value is not null).Select(p => new[] { p.Key, p.Value }).ToList();
        var parted = latest.Where(p => p.Value is null).Select(p => p.Key).ToList();
        if (joined.Count > 0) db.Database.ExecuteSqlRaw(JoinSql, new SqliteParameter("$joined", JsonSerializer.Serialize(joined)));
        if (parted.Count > 0) db.Database.ExecuteSqlRaw(PartSql, new SqliteParameter("$parted", JsonSerializer.Serialize(parted)));
    }
}
