using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatApp.Api;

/// <summary><c>GET /healthz</c>: 200 when the server can store (the database takes a write, the room's log answers: Redis, when shared) and deliver (the room loop answers).</summary>
public static class HealthEndpoint
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (ChatRoom room, IRoomLog log, EventWriter writer, IOptions<ChatOptions> options, ILoggerFactory logs, CancellationToken aborted) =>
        {
            // The writer's last batch failed: sends are being refused, whatever a probe might say about the file.
            if (writer.IsFailing)
                return Results.Json(new { status = "unavailable", reason = "Events cannot be stored." }, statusCode: StatusCodes.Status503ServiceUnavailable);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                timeout.CancelAfter(ProbeTimeout);
                await ProbeDatabaseAsync(options.Value, timeout.Token);
                await room.RosterAsync(timeout.Token);
                if (await log.ProbeAsync(timeout.Token) is { } reason)
                    return Results.Json(new { status = "unavailable", reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
                return Results.Json(new { status = "ok" });
            }
            catch (Exception e) when (e is SqliteException or OperationCanceledException or TimeoutException or IOException)
            {
                logs.CreateLogger(typeof(HealthEndpoint)).LogWarning(e, "Health check failed");
                return Results.Json(new { status = "unavailable", reason = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }

    /// <summary>A real write (a table created) in a transaction that is rolled back: proves the file takes writes and its lock can be had.</summary>
    private static async Task ProbeDatabaseAsync(ChatOptions options, CancellationToken cancellationToken)
    {
        // A connection of its own, outside the pool, that waits briefly rather than the default 30 s for a busy lock.
        var builder = new SqliteConnectionStringBuilder(StorageExtensions.ConnectionString(options))
        {
            Pooling = false,
            DefaultTimeout = (int)ProbeTimeout.TotalSeconds,
            Mode = SqliteOpenMode.ReadWrite, // never create a database that is missing
        };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE; CREATE TABLE HealthProbe(Probe INTEGER); ROLLBACK;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
