using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CompactArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_From",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Events_PublicMessages",
                table: "Events",
                column: "From",
                filter: "\"To\" IS NULL AND \"Kind\" = 'Message'");

            // The search index no longer keeps its own copy of every text: it reads the rows through a view
            // (external content), and keeps no per-row token counts (columnsize=0; results are ordered by id, not rank).
            // The triggers tell it each text it had, as an external-content index must be told.
            migrationBuilder.Sql("""
                DROP TRIGGER EventSearch_Insert;
                DROP TRIGGER EventSearch_Update;
                DROP TRIGGER EventSearch_Delete;
                DROP TABLE EventSearch;
                CREATE VIEW EventSearchText AS
                    SELECT Id, CASE Kind WHEN 'File' THEN FileName ELSE Text END AS Body FROM Events
                    WHERE Kind IN ('Message', 'File') AND Deleted = 0;
                CREATE VIRTUAL TABLE EventSearch USING fts5(Body, content = 'EventSearchText', content_rowid = 'Id',
                    columnsize = 0, tokenize = 'unicode61 remove_diacritics 2');
                CREATE TRIGGER EventSearch_Insert AFTER INSERT ON Events
                    WHEN NEW.Kind IN ('Message', 'File') AND NEW.Deleted = 0
                BEGIN
                    INSERT INTO EventSearch(rowid, Body) VALUES (NEW.Id, CASE NEW.Kind WHEN 'File' THEN NEW.FileName ELSE NEW.Text END);
                END;
                CREATE TRIGGER EventSearch_Update AFTER UPDATE OF Text, FileName, Deleted ON Events
                    WHEN OLD.Kind IN ('Message', 'File')
                BEGIN
                    INSERT INTO EventSearch(EventSearch, rowid, Body)
                        SELECT 'delete', OLD.Id, CASE OLD.Kind WHEN 'File' THEN OLD.FileName ELSE OLD.Text END WHERE OLD.Deleted = 0;
                    INSERT INTO EventSearch(rowid, Body)
                        SELECT NEW.Id, CASE NEW.Kind WHEN 'File' THEN NEW.FileName ELSE NEW.Text END WHERE NEW.Deleted = 0;
                END;
                CREATE TRIGGER EventSearch_Delete AFTER DELETE ON Events
                    WHEN OLD.Kind IN ('Message', 'File') AND OLD.Deleted = 0
                BEGIN
                    INSERT INTO EventSearch(EventSearch, rowid, Body)
                        VALUES ('delete', OLD.Id, CASE OLD.Kind WHEN 'File' THEN OLD.FileName ELSE OLD.Text END);
                END;
                INSERT INTO EventSearch(EventSearch) VALUES ('rebuild');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The search index as 20261129055504_EditsMentionsSearch made it.
            migrationBuilder.Sql("""
                DROP TRIGGER EventSearch_Insert;
                DROP TRIGGER EventSearch_Update;
                DROP TRIGGER EventSearch_Delete;
                DROP TABLE EventSearch;
                DROP VIEW EventSearchText;
                CREATE VIRTUAL TABLE EventSearch USING fts5(Body, tokenize = 'unicode61 remove_diacritics 2');
                CREATE TRIGGER EventSearch_Insert AFTER INSERT ON Events
                    WHEN NEW.Kind IN ('Message', 'File') AND NEW.Deleted = 0
                BEGIN
                    INSERT INTO EventSearch(rowid, Body) VALUES (NEW.Id, CASE NEW.Kind WHEN 'File' THEN NEW.FileName ELSE NEW.Text END);
                END;
                CREATE TRIGGER EventSearch_Update AFTER UPDATE OF Text, FileName, Deleted ON Events
                    WHEN NEW.Kind IN ('Message', 'File')
                BEGIN
                    DELETE FROM EventSearch WHERE rowid = OLD.Id;
                    INSERT INTO EventSearch(rowid, Body)
                        SELECT NEW.Id, CASE NEW.Kind WHEN 'File' THEN NEW.FileName ELSE NEW.Text END WHERE NEW.Deleted = 0;
                END;
                CREATE TRIGGER EventSearch_Delete AFTER DELETE ON Events
                BEGIN
                    DELETE FROM EventSearch WHERE rowid = OLD.Id;
                END;
                INSERT INTO EventSearch(rowid, Body)
                    SELECT Id, CASE Kind WHEN 'File' THEN FileName ELSE Text END FROM Events
                    WHERE Kind IN ('Message', 'File') AND Deleted = 0;
                """);

            migrationBuilder.DropIndex(
                name: "IX_Events_PublicMessages",
                table: "Events");

            migrationBuilder.CreateIndex(
                name: "IX_Events_From",
                table: "Events",
                column: "From");
        }
    }
}
