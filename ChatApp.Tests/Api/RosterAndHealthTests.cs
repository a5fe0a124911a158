using System.Net;
using ChatApp.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ChatApp.Tests.Api;

public sealed class RosterAndHealthTests
{
    [Fact]
    public async Task TheRosterListsConnectedUsersOnceEachSortedCaseInsensitively()
    {
        await using var server = await ChatServer.StartAsync();
        await using var bob = await server.JoinAsync("bob");
        await using var ann = await server.JoinAsync("Ann");
        await using var annAgain = await server.ConnectAsync(ann.Token!);
        await using var carl = await server.JoinAsync("carl");
        using var client = server.Client(ann.Token);

        Assert.Equal(["Ann", "bob", "carl"], await RosterAsync(client));

        await bob.CloseAsync();
        await Eventually.ThatAsync(async () => !(await RosterAsync(client)).Contains("bob"), "bob leaves the roster");
        Assert.Equal(["Ann", "carl"], await RosterAsync(client));
    }

    [Fact]
    public async Task HealthzAnswersOkToAnyoneWhenTheServerCanStoreAndDeliver()
    {
        await using var server = await ChatServer.StartAsync();
        using var anonymous = server.Client();

        var (status, body) = await anonymous.GetJsonAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body.Text("status"));
    }

    [Fact]
    public async Task HealthzAnswers503WhileTheDatabaseCannotBeWritten()
    {
        await using var server = await ChatServer.StartAsync();
        using var anonymous = server.Client();
        await using (var blocker = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "chat.db")};Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync(); // holds the write lock until disposed
            await using var write = blocker.CreateCommand();
            write.CommandText = "CREATE TABLE Blocker(x)";
            await write.ExecuteNonQueryAsync();

            var (status, body) = await anonymous.GetJsonAsync("/healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unavailable", body.Text("status"));
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetJsonAsync("/healthz")).Status);
    }

    private static async Task<List<string?>> RosterAsync(HttpClient client)
    {
        var (status, body) = await client.GetJsonAsync("/api/roster");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("users").EnumerateArray().Select(u => u.GetString()).ToList();
    }
}
