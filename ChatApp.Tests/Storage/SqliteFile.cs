using System.Globalization;
using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ChatApp.Tests.Storage;

/// <summary>A database file in a fresh directory, read with plain SQL (not through the app's model).</summary>
public sealed class SqliteFile
{
    public static readonly string ReleaseV2Fixture = System.IO.Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", "release-v2.sqlite3.fixture");

    /// <summary>
    /// A database as the server of migration IntegerTimesAndKinds wrote it (user_version 3): users ann (password
    /// "ann-password"), bob and olduser (a released name claimed again at event 20), and 27 events: messages public and
    /// private, with and without markup, mentions, an edit, an edited then deleted message, a file and a deleted file,
    /// a profile notice, joins and parts.
    /// </summary>
    public static readonly string IntegerTimesFixture = System.IO.Path.Combine(AppContext.BaseDirectory, "Storage", "Fixtures", "integer-times-and-kinds.sqlite3.fixture");

    private SqliteFile(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }
    public string Path => System.IO.Path.Combine(Directory, "chat.db");
    private string ConnectionString => $"Data Source={Path};Pooling=False";

    /// <summary>The database of a server's data directory.</summary>
    public static SqliteFile In(string directory) => new(directory);

    public static SqliteFile Empty() => new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatapp-tests", Guid.NewGuid().ToString("N")));

    /// <summary>A copy of the database the v2 release wrote (schema version 2): 3 users (ann has a password), 3 sessions, 12 events.</summary>
    public static SqliteFile CopyOfReleaseV2()
    {
        var file = Empty();
        File.Copy(ReleaseV2Fixture, file.Path);
        return file;
    }

    /// <summary>A copy of the database of the release whose last migration was IntegerTimesAndKinds (<see cref="IntegerTimesFixture"/>).</summary>
    public static SqliteFile CopyOfIntegerTimes()
    {
        var file = Empty();
        File.Copy(IntegerTimesFixture, file.Path);
        return file;
    }

    public long Scalar(string sql) => Convert.ToInt64(Query(sql).Single()[0]);

    public void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of the result, every column as text, for comparing a table before and after.</summary>
    public List<string[]> Query(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i))!).ToArray());
        return rows;
    }

    /// <summary>SQLite's plan for <paramref name="command"/>, one line per step (SEARCH, SCAN, USE TEMP B-TREE...).</summary>
    public List<string> QueryPlan(EventStoreQueryPlanTests.RecordedCommand command)
    {
        using var connection = Open();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters) explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        using var reader = explain.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read()) plan.Add(reader.GetString(3));
        return plan;
    }

    /// <summary>Runs the server's start-up migration on this file.</summary>
    public void Migrate()
    {
        using var db = Context();
        SchemaMigrator.Migrate(db);
    }

    /// <summary>Migrates the file up or down to <paramref name="migration"/> (a name such as "IntegerTimesAndKinds") with EF's own migrator.</summary>
    public void MigrateTo(string migration)
    {
        using var db = Context();
        db.GetService<IMigrator>().Migrate(db.Database.GetMigrations().Single(m => m.EndsWith("_" + migration)));
    }

    public ChatDbContext Context() => new(new DbContextOptionsBuilder<ChatDbContext>().UseSqlite(ConnectionString).Options);

    /// <summary>Every event as the server reads it back (Storage/EventStore.cs), oldest first.</summary>
    public List<ChatEvent> Events() => new EventStore(new Contexts(this)).Newest(int.MaxValue);

    /// <summary>An event's every member as text, to compare an event read back with what was stored.</summary>
    public static string[] Members(ChatEvent e) =>
    [
        e.Id.ToString(CultureInfo.InvariantCulture), new DateTimeOffset(e.Ts).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ((int)e.Kind).ToString(CultureInfo.InvariantCulture), e.From ?? "NULL", e.To ?? "NULL", e.Text, e.Html ?? "NULL", e.ClientId ?? "NULL",
        e.SystemEvent ?? "NULL", e.User ?? "NULL", e.Ip ?? "NULL", e.FileName ?? "NULL", e.ContentType ?? "NULL",
        e.FileSize.ToString(CultureInfo.InvariantCulture), e.FileKey ?? "NULL", e.Deleted ? "1" : "0",
        e.Edited is { } edited ? new DateTimeOffset(edited).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "NULL",
        e.Mentions is { } mentions ? JsonSerializer.Serialize(mentions) : "NULL", e.Target?.ToString(CultureInfo.InvariantCulture) ?? "NULL",
    ];

    private sealed class Contexts(SqliteFile file) : IDbContextFactory<ChatDbContext>
    {
        public ChatDbContext CreateDbContext() => file.Context();
    }

    /// <summary>Tables with their columns (name, type, not null, key) and indexes with their columns and filter.</summary>
    public List<string> Schema()
    {
        var schema = new List<string>();
        foreach (var table in Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_EF%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name"))
        {
            // Column defaults are left out: the app always writes every column.
            foreach (var column in Query($"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table[0]}') ORDER BY cid"))
                schema.Add($"{table[0]}.{string.Join(' ', column)}");
            foreach (var index in Query($"SELECT name, \"unique\", partial FROM pragma_index_list('{table[0]}') WHERE origin = 'c' ORDER BY name"))
            {
                var columns = string.Join(',', Query($"SELECT name FROM pragma_index_info('{index[0]}') ORDER BY seqno").Select(c => c[0]));
                var sql = Query($"SELECT sql FROM sqlite_master WHERE name = '{index[0]}'").Single()[0];
                var filter = sql.Contains(" WHERE ") ? sql[(sql.IndexOf(" WHERE ") + 7)..] : "";
                schema.Add($"{table[0]} index {string.Join(' ', index)} ({columns}) {filter}");
            }
        }
        return schema;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}
