using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Storage;

/// <summary>
/// <c>Chat:Storage:DiscardEvents</c>, the load tool's <c>--storage off</c>: the chat works as usual but the writer
/// commits no event, so a benchmark can compare the fan-out with and without storage. Off by default.
/// </summary>
public sealed class DiscardEventsTests
{
    [Fact]
    public async Task WithDiscardEventsMessagesAreEchoedAndDeliveredButNoRowIsWritten()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:Storage:DiscardEvents"] = "true" });
        await using var ann = await server.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        await ann.SendJsonAsync(new { type = "message", text = "gone on restart", clientId = "c1" });
        var echo = await ann.ExpectMessageAsync("gone on restart");
        var delivered = await bob.ExpectMessageAsync("gone on restart");
        Assert.Equal(echo.GetProperty("id").GetInt64(), delivered.GetProperty("id").GetInt64());
        await server.StopAsync();

        Assert.Equal(0, SqliteFile.In(server.DataDir).Scalar("SELECT count(*) FROM Events"));
    }

    [Fact]
    public async Task ByDefaultTheSameMessagesAndNoticesAreStored()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        await ann.SendJsonAsync(new { type = "message", text = "kept", clientId = "c1" });
        await bob.ExpectMessageAsync("kept");
        await server.StopAsync();

        var file = SqliteFile.In(server.DataDir);
        Assert.Equal(1, file.Scalar("SELECT count(*) FROM Events WHERE Text = 'kept'"));
        // and the notices: two joins, and the parts of the stop's closed sockets
        Assert.True(file.Scalar("SELECT count(*) FROM Events") >= 3);
    }
}
