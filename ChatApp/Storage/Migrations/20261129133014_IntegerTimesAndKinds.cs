using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Storage.Migrations
{
    /// <summary>
    /// Event times as Unix milliseconds and kinds as numbers (they were a third of each row as text), and renderings
    /// stored in full before CompactArchive shrunk as new ones are (<see cref="StoredHtml"/>). SQLite changes a column's
    /// type only by copying the table; EF's copy commits in several steps and runs after any SQL of the migration, so
    /// the copy is written here, converting as it copies, and the whole migration commits once (a crash leaves the old
    /// table). The columns keep their order. The search index is no longer fed by an insert trigger: the writer adds each
    /// batch's texts itself (Storage/SearchFeed.cs).
    /// </summary>
    public partial class IntegerTimesAndKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Rebuild(
                timeType: "INTEGER", time: UnixMilliseconds, kindType: "INTEGER",
                kind: k => $"CASE {k} WHEN 'Message' THEN 0 WHEN 'File' THEN 1 WHEN 'System' THEN 2 WHEN 'Edit' THEN 3 WHEN 'Delete' THEN 4 END",
                html: "CASE WHEN Html = '<p>' || replace(replace(replace(replace(Text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&quot;') || '</p>' || char(10) THEN char(1) ELSE Html END"));
            CreateIndexes(migrationBuilder, publicMessages: "\"To\" IS NULL AND \"Kind\" = 0");
            migrationBuilder.Sql(SearchViewAndTriggers(message: "0", file: "1", insertTrigger: false));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Compacted renderings stay compact: CompactArchive's code reads them.
            migrationBuilder.Sql(Rebuild(
                timeType: "TEXT", time: c => $"strftime('%Y-%m-%d %H:%M:%f', {c} / 1000.0, 'unixepoch')", kindType: "TEXT",
                kind: k => $"CASE {k} WHEN 0 THEN 'Message' WHEN 1 THEN 'File' WHEN 2 THEN 'System' WHEN 3 THEN 'Edit' WHEN 4 THEN 'Delete' END",
                html: "Html"));
            CreateIndexes(migrationBuilder, publicMessages: "\"To\" IS NULL AND \"Kind\" = 'Message'");
            migrationBuilder.Sql(SearchViewAndTriggers(message: "'Message'", file: "'File'", insertTrigger: true));
        }

        /// <summary>
        /// Copies Events into a table of the new types, converting times, kinds and renderings, and puts it in its place.
        /// The search index stays (it indexes the same texts); the view it reads and the triggers that feed it name kinds,
        /// and are made again afterwards. An unknown kind becomes NULL and fails the copy, and with it the migration.
        /// </summary>
        private static string Rebuild(string timeType, Func<string, string> time, string kindType, Func<string, string> kind, string html) => $"""
            DROP TRIGGER IF EXISTS EventSearch_Insert;
            DROP TRIGGER EventSearch_Update;
            DROP TRIGGER EventSearch_Delete;
            DROP VIEW EventSearchText;
            CREATE TABLE "ef_temp_Events" (
                "Id" INTEGER NOT NULL CONSTRAINT "PK_Events" PRIMARY KEY,
                "Ts" {timeType} NOT NULL,
                "Kind" {kindType} NOT NULL,
                "From" TEXT NULL,
                "To" TEXT NULL,
                "Text" TEXT NOT NULL,
                "Html" TEXT NULL,
                "ClientId" TEXT NULL,
                "SystemEvent" TEXT NULL,
                "User" TEXT NULL,
                "Ip" TEXT NULL,
                "FileName" TEXT NULL,
                "ContentType" TEXT NULL,
                "FileSize" INTEGER NOT NULL,
                "FileKey" TEXT NULL,
                "Deleted" INTEGER NOT NULL,
                "Edited" {timeType} NULL,
                "Mentions" TEXT NULL,
                "Target" INTEGER NULL
            );
            INSERT INTO "ef_temp_Events"
            SELECT "Id", {time("\"Ts\"")}, {kind("\"Kind\"")}, "From", "To", "Text", {html}, "ClientId", "SystemEvent", "User", "Ip",
                   "FileName", "ContentType", "FileSize", "FileKey", "Deleted", CASE WHEN "Edited" IS NULL THEN NULL ELSE {time("\"Edited\"")} END,
                   "Mentions", "Target"
            FROM "Events" ORDER BY "Id";
            DROP TABLE "Events";
            ALTER TABLE "ef_temp_Events" RENAME TO "Events";
            """;

        private static void CreateIndexes(MigrationBuilder migrationBuilder, string publicMessages)
        {
            migrationBuilder.CreateIndex(name: "IX_Events_PublicMessages", table: "Events", column: "From", filter: publicMessages);
            migrationBuilder.CreateIndex(name: "IX_Events_Target", table: "Events", column: "Target", filter: "\"Target\" IS NOT NULL");
            migrationBuilder.CreateIndex(name: "IX_Events_To", table: "Events", column: "To", filter: "\"To\" IS NOT NULL");
        }

        /// <summary>EF's text time ("2026-11-29 04:32:30.5550608") as Unix milliseconds, its fraction truncated as the wire's is.</summary>
        private static string UnixMilliseconds(string column) =>
            $"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) * 1000 + CAST(substr(substr({column}, 21) || '000', 1, 3) AS INTEGER)";

        /// <summary>
        /// CompactArchive's view of searchable texts and the triggers that keep the search index current, for kinds stored as
        /// <paramref name="message"/> and <paramref name="file"/>. From here on the writer adds new rows' texts itself, a batch
        /// at a time (Storage/SearchFeed.cs): an insert trigger cost a new FTS5 segment per row.
        /// </summary>
        private static string SearchViewAndTriggers(string message, string file, bool insertTrigger) => $"""
            CREATE VIEW EventSearchText AS
                SELECT Id, CASE Kind WHEN {file} THEN FileName ELSE Text END AS Body FROM Events
                WHERE Kind IN ({message}, {file}) AND Deleted = 0;
            {(insertTrigger ? InsertTrigger(message, file) : "")}
            CREATE TRIGGER EventSearch_Update AFTER UPDATE OF Text, FileName, Deleted ON Events
                WHEN OLD.Kind IN ({message}, {file})
            BEGIN
                INSERT INTO EventSearch(EventSearch, rowid, Body)
                    SELECT 'delete', OLD.Id, CASE OLD.Kind WHEN {file} THEN OLD.FileName ELSE OLD.Text END WHERE OLD.Deleted = 0;
                INSERT INTO EventSearch(rowid, Body)
                    SELECT NEW.Id, CASE NEW.Kind WHEN {file} THEN NEW.FileName ELSE NEW.Text END WHERE NEW.Deleted = 0;
            END;
            CREATE TRIGGER EventSearch_Delete AFTER DELETE ON Events
                WHEN OLD.Kind IN ({message}, {file}) AND OLD.Deleted = 0
            BEGIN
                INSERT INTO EventSearch(EventSearch, rowid, Body)
                    VALUES ('delete', OLD.Id, CASE OLD.Kind WHEN {file} THEN OLD.FileName ELSE OLD.Text END);
            END;
            """;

        private static string InsertTrigger(string message, string file) => $"""
            CREATE TRIGGER EventSearch_Insert AFTER INSERT ON Events
                WHEN NEW.Kind IN ({message}, {file}) AND NEW.Deleted = 0
            BEGIN
                INSERT INTO EventSearch(rowid, Body) VALUES (NEW.Id, CASE NEW.Kind WHEN {file} THEN NEW.FileName ELSE NEW.Text END);
            END;
            """;
    }
}
