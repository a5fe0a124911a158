using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatApp.Storage;

/// <summary>
/// Brings the database to the model's schema with EF migrations. Releases up to schema version 2 wrote their
/// schema by hand and counted it in SQLite's <c>user_version</c>; such a database is recorded as having the
/// initial migration (which creates exactly that schema) before the later ones run.
/// </summary>
public static class SchemaMigrator
{
    /// <summary><c>user_version</c> of a database whose schema EF migrations keep; an older release refuses it.</summary>
    public const int MigrationsVersion = 3;

    /// <summary>What version 2 added to version 1; frozen, for a database of the first release.</summary>
    private const string VersionOneToTwo = """
        CREATE INDEX IX_Events_To ON Events("To") WHERE "To" IS NOT NULL;
        CREATE INDEX IX_Events_From ON Events("From");
        CREATE INDEX IX_Sessions_NameKey ON Sessions(NameKey);
        PRAGMA user_version = 2;
        """;

    public static void Migrate(ChatDbContext db)
    {
        db.Database.OpenConnection();
        try
        {
            Execute(db, "PRAGMA journal_mode=WAL;");
            var version = Convert.ToInt32(Scalar(db, "PRAGMA user_version;"));
            if (version > MigrationsVersion) throw Newer($"schema version {version}");
            if (version == 1) InTransaction(db, VersionOneToTwo);
            if (version is 1 or 2) Baseline(db);

            var unknown = db.Database.GetAppliedMigrations().Except(db.Database.GetMigrations()).ToList();
            if (unknown.Count > 0) throw Newer($"migrated by a newer server ({string.Join(", ", unknown)})");
            var migrating = db.Database.GetPendingMigrations().Any();
            db.Database.Migrate();
            Execute(db, $"PRAGMA user_version = {MigrationsVersion};");
            if (migrating) CompactIfMostlyFree(db);
        }
        finally
        {
            db.Database.CloseConnection();
        }
    }

    /// <summary>
    /// A migration that dropped a copy of the data (CompactArchive: the search index's own copy of every text) or copied
    /// the events into a leaner table (IntegerTimesAndKinds, LeanEvents) leaves the old pages free, and the file keeps its
    /// size until they are given back: once, right after such a migration.
    /// </summary>
    private static void CompactIfMostlyFree(ChatDbContext db)
    {
        var free = Convert.ToInt64(Scalar(db, "PRAGMA freelist_count;"));
        var pages = Convert.ToInt64(Scalar(db, "PRAGMA page_count;"));
        if (free * 10 > pages) Execute(db, "VACUUM;"); // more than a tenth free
    }

    /// <summary>Records the initial migration as applied to a database that already has its tables.</summary>
    private static void Baseline(ChatDbContext db)
    {
        var history = db.GetService<IHistoryRepository>();
        var initial = db.Database.GetMigrations().First();
        InTransaction(db, history.GetCreateIfNotExistsScript()
                          + history.GetInsertScript(new HistoryRow(initial, ProductInfo.GetVersion()))
                          + $"PRAGMA user_version = {MigrationsVersion};");
    }

    private static InvalidOperationException Newer(string what) =>
        new($"The database is {what}, newer than this server: upgrade the server, or restore a backup.");

    private static void InTransaction(ChatDbContext db, string sql)
    {
        using var transaction = db.Database.BeginTransaction();
        Execute(db, sql);
        transaction.Commit();
    }

    private static void Execute(ChatDbContext db, string sql)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(ChatDbContext db, string sql)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
