using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChatApp.Storage.Migrations
{
    /// <inheritdoc />
    public partial class EditsMentionsSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Deleted",
                table: "Events",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "Edited",
                table: "Events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Mentions",
                table: "Events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Target",
                table: "Events",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Events_Target",
                table: "Events",
                column: "Target",
                filter: "\"Target\" IS NOT NULL");

            // Full-text search (GET /api/search): an FTS5 index of messages' current text and files' names (row id =
            // event id), kept by triggers on Events, so every writer of events keeps it current without knowing it.
            migrationBuilder.Sql("""
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS EventSearch_Insert;
                DROP TRIGGER IF EXISTS EventSearch_Update;
                DROP TRIGGER IF EXISTS EventSearch_Delete;
                DROP TABLE IF EXISTS EventSearch;
                """);

            migrationBuilder.DropIndex(
                name: "IX_Events_Target",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "Deleted",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "Edited",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "Mentions",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "Target",
                table: "Events");
        }
    }
}
