using Microsoft.Data.Sqlite;

namespace ChatApp.Storage;

/// <summary>
/// Brings a database of any earlier version to the current schema, one numbered step at a time,
/// recording the version in SQLite's <c>user_version</c>. Steps are append-only: never edit a released one.
/// </summary>
public static class SchemaUpgrader
{
    private static readonly string[] Steps =
    [
        // 1: users, sessions and the event archive.
        """
        CREATE TABLE Users (
            NameKey TEXT NOT NULL PRIMARY KEY,
            Name TEXT NOT NULL,
            PasswordHash TEXT NULL,
            CreatedAt TEXT NOT NULL,
            LastSeenAt TEXT NULL,
            VisibleFromId INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE Sessions (
            TokenHash TEXT NOT NULL PRIMARY KEY,
            NameKey TEXT NOT NULL,
            CreatedAt TEXT NOT NULL
        );
        CREATE TABLE Events (
            Id INTEGER NOT NULL PRIMARY KEY,
            Ts TEXT NOT NULL,
            Kind TEXT NOT NULL,
            "From" TEXT NULL,
            "To" TEXT NULL,
            Text TEXT NOT NULL,
            Html TEXT NULL,
            ClientId TEXT NULL,
            SystemEvent TEXT NULL,
            User TEXT NULL,
            Ip TEXT NULL,
            FileName TEXT NULL,
            ContentType TEXT NULL,
            FileSize INTEGER NOT NULL DEFAULT 0,
            FileKey TEXT NULL
        );
        """,
        // 2: private history and per-user counts are read by name.
        """
        CREATE INDEX IX_Events_To ON Events("To") WHERE "To" IS NOT NULL;
        CREATE INDEX IX_Events_From ON Events("From");
        CREATE INDEX IX_Sessions_NameKey ON Sessions(NameKey);
        """,
        // 3: edits, deletions, mentions and full-text search.
        SearchSchema.EventColumns + SearchSchema.Create,
    ];

    public static int CurrentVersion => Steps.Length;

    /// <summary>Upgrades the database at <paramref name="connectionString"/> up to <paramref name="targetVersion"/> (default: current).</summary>
    public static int Upgrade(string connectionString, int? targetVersion = null)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"));
        var target = targetVersion ?? CurrentVersion;
        if (version > CurrentVersion)
            throw new InvalidOperationException($"The database is schema version {version}, newer than this server ({CurrentVersion}).");
        for (var step = version; step < target; step++)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, Steps[step], tx);
            Execute(connection, $"PRAGMA user_version = {step + 1};", tx);
            tx.Commit();
        }
        return Math.Max(version, target);
    }

    private static void Execute(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
