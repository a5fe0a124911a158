namespace ChatApp.Storage;

/// <summary>
/// The SQL behind search (PROTOCOL.md §3, <c>GET /api/search</c>): an FTS5 index of messages' current text and files'
/// names, kept by triggers on the Events table, so every writer of events keeps it current without knowing it.
/// </summary>
public static class SearchSchema
{
    /// <summary>The columns edits, deletions and mentions add to Events.</summary>
    public const string EventColumns = """
        ALTER TABLE Events ADD COLUMN Target INTEGER NULL;
        ALTER TABLE Events ADD COLUMN Edited TEXT NULL;
        ALTER TABLE Events ADD COLUMN Deleted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE Events ADD COLUMN Mentions TEXT NULL;
        CREATE INDEX IX_Events_Target ON Events(Target) WHERE Target IS NOT NULL;

        """;

    /// <summary>The index (row id = event id), its triggers, and what is already there.</summary>
    public const string Create = """
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

        """;

    /// <summary>Removes it all again (a migration's way down).</summary>
    public const string Drop = """
        DROP TRIGGER IF EXISTS EventSearch_Insert;
        DROP TRIGGER IF EXISTS EventSearch_Update;
        DROP TRIGGER IF EXISTS EventSearch_Delete;
        DROP TABLE IF EXISTS EventSearch;
        """;
}
