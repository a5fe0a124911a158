using ChatApp.Chat;
using Microsoft.Data.Sqlite;

namespace ChatApp.Storage;

/// <summary>SQLite's answers that mean "not now" rather than "wrong": busy, locked, I/O error, disk full, cannot open.</summary>
public sealed class SqliteStorageOutage : IStorageOutage
{
    public bool IsOutage(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 };
}
