using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SQLitePCL;

namespace ChatApp.Storage;

/// <summary>
/// One prepared <c>INSERT</c> into Events, run once per row inside the writer's transaction. EF's change tracker costs
/// more per row than SQLite's insert does, and so does a <see cref="SqliteCommand"/> (it looks each parameter up by name
/// and opens a reader per run): the statement is SQLite's own, its values bound by position. Columns and value
/// conversions come from the EF model, so the rows are the ones <c>SaveChanges</c> would write.
/// </summary>
internal sealed class EventInsert : IDisposable
{
    private readonly sqlite3 _connection;
    private readonly sqlite3_stmt _statement;
    private readonly (IClrPropertyGetter Getter, ValueConverter? Converter)[] _columns;

    /// <summary>Prepares the insert on <paramref name="db"/>'s open connection; the rows join whatever transaction it has begun.</summary>
    public EventInsert(ChatDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(StoredEvent))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().ToArray();
        _columns = properties.Select(p => (p.GetGetter(), p.GetTypeMapping().Converter)).ToArray();
        var names = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""));
        var values = string.Join(", ", properties.Select((_, i) => $"?{i + 1}"));
        _connection = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
        Check(raw.sqlite3_prepare_v2(_connection, $"INSERT INTO \"{table.Name}\" ({names}) VALUES ({values})", out _statement));
    }

    public void Insert(StoredEvent row)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            var (getter, converter) = _columns[i];
            var value = getter.GetClrValue(row);
            if (value is not null && converter is not null) value = converter.ConvertToProvider(value);
            Check(value switch
            {
                null => raw.sqlite3_bind_null(_statement, i + 1),
                string text => raw.sqlite3_bind_text(_statement, i + 1, text),
                long number => raw.sqlite3_bind_int64(_statement, i + 1, number),
                int number => raw.sqlite3_bind_int64(_statement, i + 1, number),
                bool flag => raw.sqlite3_bind_int64(_statement, i + 1, flag ? 1 : 0),
                _ => throw new NotSupportedException($"Events column {i + 1}: no binding for {value.GetType()}"),
            });
        }
        var done = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (done != raw.SQLITE_DONE) Check(done);
    }

    /// <summary>An error as Microsoft.Data.Sqlite reports it, so the writer's retry and outage handling see no difference.</summary>
    private void Check(int result)
    {
        if (result is raw.SQLITE_OK or raw.SQLITE_DONE) return;
        throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(_connection).utf8_to_string()}'.", result, raw.sqlite3_extended_errcode(_connection));
    }

    public void Dispose() => _statement?.Dispose();
}
