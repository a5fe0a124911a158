using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Storage.Migrations
{
    /// <summary>
    /// A leaner Events row (Storage/StoredEvent.cs): 9 columns instead of 19, each of which cost every row a byte of record
    /// header. The members most events leave empty go into one JSON column, Extra (Storage/StoredExtra.cs), null for a plain
    /// message, whose rendering is no longer stored at all; a deleted message is a row without text (Deleted was a column);
    /// the sender is a number into the new Senders table (a byte or two where the name took up to 32). Senders also keeps
    /// the profile's count of each name's public messages (Storage/PublicMessageCounts.cs), which replaces the index of
    /// public messages by sender (16 MiB per million events). As in IntegerTimesAndKinds, the table is copied converting
    /// each row, and the migration commits once. The search index keeps its terms: its view yields the same texts and file
    /// names for the same ids, read from the new columns, so it is not rebuilt (FTS5's integrity-check agrees).
    /// </summary>
    public partial class LeanEvents : Migration
    {
        /// <summary>Whether an old row had a rendering of its text (StoredExtra.Renders): a message or edit, not deleted.</summary>
        private const string OldRenders = "e.Kind IN (0, 3) AND e.Deleted = 0";

        /// <summary>StoredHtml.ParagraphOf, in SQL, as IntegerTimesAndKinds compared with it.</summary>
        private const string OldParagraph =
            "'<p>' || replace(replace(replace(replace(e.Text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&quot;') || '</p>' || char(10)";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Senders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    CountedAfterId = table.Column<long>(type: "INTEGER", nullable: false),
                    PublicMessages = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Senders", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Senders_Name",
                table: "Senders",
                column: "Name",
                unique: true);

            // Every name that sent something, the busiest first (the first 127 numbers take one byte), counting from where
            // its owner began (a released name's new owner: Users.VisibleFromId).
            migrationBuilder.Sql("""
                INSERT INTO Senders (Id, Name, CountedAfterId, PublicMessages)
                SELECT row_number() OVER (ORDER BY Events DESC, Name), Name, CountedAfterId, 0 FROM (
                    SELECT f.Name, f.Events, COALESCE(max(u.VisibleFromId), 0) AS CountedAfterId
                    FROM (SELECT "From" AS Name, count(*) AS Events FROM Events WHERE "From" IS NOT NULL GROUP BY "From") AS f
                    LEFT JOIN Users u ON u.Name = f.Name
                    GROUP BY f.Name);
                """);

            // Old renderings: char(1) was the plain paragraph, and a rendering that began with char(1) got one more in front.
            migrationBuilder.Sql(Rebuild(
                columns: """
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Events" PRIMARY KEY,
                    "Ts" INTEGER NOT NULL,
                    "Kind" INTEGER NOT NULL,
                    "FromId" INTEGER NULL,
                    "To" TEXT NULL,
                    "Text" TEXT NULL,
                    "ClientId" TEXT NULL,
                    "Target" INTEGER NULL,
                    "Extra" TEXT NULL
                    """,
                select: $"""
                    SELECT e.Id, e.Ts, e.Kind, s.Id, e."To", CASE WHEN e.Deleted = 0 THEN e.Text END, e.ClientId, e.Target,
                        NULLIF(json_patch('{"{}"}', json_object(
                            'h', CASE WHEN e.Html IS NULL THEN NULL
                                      WHEN e.Html = char(1) THEN CASE WHEN {OldRenders} THEN NULL ELSE {OldParagraph} END
                                      WHEN substr(e.Html, 1, 1) = char(1) THEN substr(e.Html, 2)
                                      ELSE e.Html END,
                            'nh', CASE WHEN {OldRenders} AND e.Html IS NULL THEN json('true') END,
                            'se', e.SystemEvent, 'u', e."User", 'ip', e.Ip,
                            'fn', e.FileName, 'ct', e.ContentType, 'fs', NULLIF(e.FileSize, 0), 'fk', e.FileKey,
                            'ed', e.Edited, 'm', json(e.Mentions))), '{"{}"}')
                    FROM Events e LEFT JOIN Senders s ON s.Name = e."From"
                    """));
            migrationBuilder.CreateIndex(name: "IX_Events_Target", table: "Events", column: "Target", filter: "\"Target\" IS NOT NULL");
            migrationBuilder.CreateIndex(name: "IX_Events_To", table: "Events", column: "To", filter: "\"To\" IS NOT NULL");

            // The count the index of public messages gave (CompactArchive), per name: deleted messages count, private ones do not.
            migrationBuilder.Sql("""
                UPDATE Senders SET PublicMessages = counted.Count
                FROM (SELECT e.FromId AS Id, count(*) AS Count FROM Events e JOIN Senders s ON s.Id = e.FromId
                      WHERE e."To" IS NULL AND e.Kind = 0 AND e.Id > s.CountedAfterId GROUP BY e.FromId) AS counted
                WHERE Senders.Id = counted.Id;
                """);

            // The same texts and names as before: a file's name from Extra, and a row without text is deleted.
            migrationBuilder.Sql("""
                CREATE VIEW EventSearchText AS
                    SELECT Id, CASE Kind WHEN 1 THEN json_extract(Extra, '$.fn') ELSE Text END AS Body FROM Events
                    WHERE Kind IN (0, 1) AND Text IS NOT NULL;
                CREATE TRIGGER EventSearch_Update AFTER UPDATE OF Text, Extra ON Events
                    WHEN OLD.Kind IN (0, 1)
                BEGIN
                    INSERT INTO EventSearch(EventSearch, rowid, Body)
                        SELECT 'delete', OLD.Id, CASE OLD.Kind WHEN 1 THEN json_extract(OLD.Extra, '$.fn') ELSE OLD.Text END WHERE OLD.Text IS NOT NULL;
                    INSERT INTO EventSearch(rowid, Body)
                        SELECT NEW.Id, CASE NEW.Kind WHEN 1 THEN json_extract(NEW.Extra, '$.fn') ELSE NEW.Text END WHERE NEW.Text IS NOT NULL;
                END;
                CREATE TRIGGER EventSearch_Delete AFTER DELETE ON Events
                    WHEN OLD.Kind IN (0, 1) AND OLD.Text IS NOT NULL
                BEGIN
                    INSERT INTO EventSearch(EventSearch, rowid, Body)
                        VALUES ('delete', OLD.Id, CASE OLD.Kind WHEN 1 THEN json_extract(OLD.Extra, '$.fn') ELSE OLD.Text END);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The table as IntegerTimesAndKinds made it; renderings as it kept them (a plain paragraph as char(1)).
            migrationBuilder.Sql(Rebuild(
                columns: """
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Events" PRIMARY KEY,
                    "Ts" INTEGER NOT NULL,
                    "Kind" INTEGER NOT NULL,
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
                    "Edited" INTEGER NULL,
                    "Mentions" TEXT NULL,
                    "Target" INTEGER NULL
                    """,
                select: """
                    SELECT e.Id, e.Ts, e.Kind, s.Name, e."To", COALESCE(e.Text, ''),
                        CASE WHEN json_extract(e.Extra, '$.h') IS NOT NULL THEN
                                 CASE WHEN substr(json_extract(e.Extra, '$.h'), 1, 1) = char(1) THEN char(1) ELSE '' END || json_extract(e.Extra, '$.h')
                             WHEN json_extract(e.Extra, '$.nh') THEN NULL
                             WHEN e.Kind IN (0, 3) AND e.Text IS NOT NULL THEN char(1)
                        END,
                        e.ClientId, json_extract(e.Extra, '$.se'), json_extract(e.Extra, '$.u'), json_extract(e.Extra, '$.ip'),
                        json_extract(e.Extra, '$.fn'), json_extract(e.Extra, '$.ct'), COALESCE(json_extract(e.Extra, '$.fs'), 0),
                        json_extract(e.Extra, '$.fk'), e.Text IS NULL, json_extract(e.Extra, '$.ed'), json_extract(e.Extra, '$.m'), e.Target
                    FROM Events e LEFT JOIN Senders s ON s.Id = e.FromId
                    """));
            migrationBuilder.CreateIndex(name: "IX_Events_PublicMessages", table: "Events", column: "From", filter: "\"To\" IS NULL AND \"Kind\" = 0");
            migrationBuilder.CreateIndex(name: "IX_Events_Target", table: "Events", column: "Target", filter: "\"Target\" IS NOT NULL");
            migrationBuilder.CreateIndex(name: "IX_Events_To", table: "Events", column: "To", filter: "\"To\" IS NOT NULL");
            migrationBuilder.DropTable(name: "Senders");

            // IntegerTimesAndKinds' view and triggers.
            migrationBuilder.Sql("""
                CREATE VIEW EventSearchText AS
                    SELECT Id, CASE Kind WHEN 1 THEN FileName ELSE Text END AS Body FROM Events
                    WHERE Kind IN (0, 1) AND Deleted = 0;
                CREATE TRIGGER EventSearch_Update AFTER UPDATE OF Text, FileName, Deleted ON Events
                    WHEN OLD.Kind IN (0, 1)
                BEGIN
                    INSERT INTO EventSearch(EventSearch, rowid, Body)
                        SELECT 'delete', OLD.Id, CASE OLD.Kind WHEN 1 THEN OLD.FileName ELSE OLD.Text END WHERE OLD.Deleted = 0;
                    INSERT INTO EventSearch(rowid, Body)
                        SELECT NEW.Id, CASE NEW.Kind WHEN 1 THEN NEW.FileName ELSE NEW.Text END WHERE NEW.Deleted = 0;
                END;
                CREATE TRIGGER EventSearch_Delete AFTER DELETE ON Events
                    WHEN OLD.Kind IN (0, 1) AND OLD.Deleted = 0
                BEGIN
                    INSERT INTO EventSearch(EventSearch, rowid, Body)
                        VALUES ('delete', OLD.Id, CASE OLD.Kind WHEN 1 THEN OLD.FileName ELSE OLD.Text END);
                END;
                """);
        }

        /// <summary>
        /// Copies Events into a table of <paramref name="columns"/> by <paramref name="select"/> (whose rows are named
        /// <c>e</c>) in id order, and puts it in its place. The search index's view and triggers name the old columns:
        /// they go first and are made again afterwards.
        /// </summary>
        private static string Rebuild(string columns, string select) => $"""
            DROP TRIGGER EventSearch_Update;
            DROP TRIGGER EventSearch_Delete;
            DROP VIEW EventSearchText;
            CREATE TABLE "ef_temp_Events" (
            {columns}
            );
            INSERT INTO "ef_temp_Events"
            {select}
            ORDER BY e.Id;
            DROP TABLE "Events";
            ALTER TABLE "ef_temp_Events" RENAME TO "Events";
            """;
    }
}
