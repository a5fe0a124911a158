using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ChatApp.Tests.Storage;

public sealed class StorageUnavailableTests
{
    /// <summary>Short retries, so a locked database is given up on quickly.</summary>
    private static Dictionary<string, string?> QuickGiveUp() => new()
    {
        ["Chat:Storage:Attempts"] = "2",
        ["Chat:Storage:RetryDelayMilliseconds"] = "10",
        ["Chat:Storage:BusyTimeoutMilliseconds"] = "200",
    };

    [Fact]
    public async Task WhileTheDatabaseCannotBeWrittenSendsAreRefusedStorageUnavailableAndNothingUnstoredIsEchoed()
    {
        await using var server = await ChatServer.StartAsync(QuickGiveUp());
        await using var jim = await server.JoinAsync("jim");
        await using var ann = await server.JoinAsync("ann");
        await jim.ExpectAsync("system", f => f.Text("user") == "ann"); // ann's join is stored before the lock
        using var http = server.Client(ann.Token);

        await using (var blocker = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "chat.db")};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var exclusive = blocker.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE;"; // another process holding the write lock past every busy timeout
            await exclusive.ExecuteNonQueryAsync();

            await jim.SendJsonAsync(new { type = "message", text = "lost", clientId = "c1" });
            var refusal = await jim.ExpectAsync("error");
            Assert.Equal("storage_unavailable", refusal.Text("code"));
            Assert.Equal("c1", refusal.Text("clientId"));

            var (status, body) = await http.PostJsonAsync("/api/messages", new { text = "lost over http", clientId = "h1" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("storage_unavailable", body.Text("error"));
            Assert.Equal("h1", body.Text("clientId"));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetJsonAsync("/healthz")).Status);

            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        // The same clientId again is a new send (nothing was stored the first time), and the refused ones were never delivered.
        await jim.SendJsonAsync(new { type = "message", text = "stored", clientId = "c1" });
        Assert.Equal("stored", (await ann.NextAsync(f => f.IsMessage())).Text("text"));
        Assert.Equal("stored", (await jim.NextAsync(f => f.IsMessage())).Text("text"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetJsonAsync("/healthz")).Status);
        var history = await http.MessagesAsync("?since=0");
        Assert.Equal(["stored"], history.Where(f => f.IsMessage()).Select(f => f.Text("text")));
    }
}
