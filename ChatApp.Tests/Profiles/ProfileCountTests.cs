using System.Net;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using ChatApp.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Profiles;

/// <summary>
/// The profile page's count of a user's public messages (PROTOCOL.md §3): kept per sender as the messages are stored
/// (Storage/PublicMessageCounts.cs), it counts what the rows hold, survives restarts, and starts over for a released
/// name's new owner.
/// </summary>
public sealed class ProfileCountTests
{
    [Fact]
    public async Task OnlyPublicMessagesCountDeletedOnesTooAndTheCountSurvivesARestart()
    {
        await using var server = await ChatServer.StartAsync();
        await server.SignInAsync("ann");
        var jimToken = await server.SignInAsync("jim");
        await using (var jim = await server.ConnectAsync(jimToken))
        {
            await jim.SendJsonAsync(new { type = "message", text = "one" });
            await jim.SendJsonAsync(new { type = "message", text = "two" });
            await jim.SendJsonAsync(new { type = "message", text = "three" });
            await jim.SendJsonAsync(new { type = "message", text = "private", to = "ann" });
            await jim.SendFileAsync("dot.png", "image/png", FileSharing.Png);
            var two = (await jim.ExpectMessageAsync("two")).GetProperty("id").GetInt64();
            var three = (await jim.ExpectMessageAsync("three")).GetProperty("id").GetInt64();
            await jim.ReceiveFileAsync("dot.png");
            using var http = server.Client(jimToken);
            Assert.Equal(HttpStatusCode.OK, (await http.PatchJsonAsync($"/api/messages/{two}", new { text = "two, edited" })).Status);
            Assert.Equal(HttpStatusCode.OK, (await http.DeleteJsonAsync($"/api/messages/{three}")).Status);
            await jim.SendJsonAsync(new { type = "message", text = "marker" });
            await jim.ExpectMessageAsync("marker"); // echoed once stored: everything before it is on disk
        }

        Assert.Equal(4, await server.PublicMessagesOnProfileAsync("jim"));
        Assert.Equal(0, await server.PublicMessagesOnProfileAsync("ann"));
        await server.RestartAsync();
        Assert.Equal(4, await server.PublicMessagesOnProfileAsync("jim"));
        await using (var jim = await server.ConnectAsync(jimToken))
        {
            await jim.SendJsonAsync(new { type = "message", text = "after the restart" });
            await jim.ExpectMessageAsync("after the restart");
        }
        Assert.Equal(5, await server.PublicMessagesOnProfileAsync("jim"));
    }

    [Fact]
    public async Task AReleasedNamesNewOwnerStartsAtZeroEvenWhileTheOldOwnersLastMessagesAreStillBeingWritten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:NameReleaseDays"] = "1",
            // The writer waits out the test's lock on the database rather than giving the old owner's messages up.
            ["Chat:Storage:BusyTimeoutMilliseconds"] = "30000",
        }, clock: clock);
        var room = server.Service<ChatRoom>();
        await using var ann = await server.JoinAsync("ann"); // sees each message once it is stored
        await using var old = await server.JoinAsync("jim");
        await old.SendJsonAsync(new { type = "message", text = "stored before" });
        await ann.ExpectMessageAsync("stored before");
        Assert.Equal(1, await server.PublicMessagesOnProfileAsync("jim"));
        var numbered = room.LastId;

        await using var blocker = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "chat.db")};Pooling=False");
        await blocker.OpenAsync();
        await using (var exclusive = blocker.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE;"; // nothing is written until the claim has been asked for
            await exclusive.ExecuteNonQueryAsync();
        }
        // The old owner's last messages are numbered, waiting for the database, when the name is claimed again.
        await old.SendJsonAsync(new { type = "message", text = "old owner's last" });
        await old.SendJsonAsync(new { type = "message", text = "old owner's very last" });
        await Eventually.ThatAsync(() => room.LastId == numbered + 2, "both are numbered");
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var claim = server.SignInAsync("jim"); // a newcomer: no token, no password
        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
        var newOwnerToken = await claim.WaitAsync(ChatServer.Timeout);
        await ann.ExpectMessageAsync("old owner's very last"); // stored, before or after the claim's commit

        Assert.Equal(0, await server.PublicMessagesOnProfileAsync("jim"));
        await using var newOwner = await server.ConnectAsync(newOwnerToken);
        await newOwner.SendJsonAsync(new { type = "message", text = "the new jim" });
        await newOwner.SendJsonAsync(new { type = "message", text = "to ann alone", to = "ann" });
        await ann.ExpectMessageAsync("to ann alone");
        Assert.Equal(1, await server.PublicMessagesOnProfileAsync("jim"));
        // What the rows say, as the index of public messages counted before the count was kept per sender.
        var visibleFrom = SqliteFile.In(server.DataDir).Scalar("SELECT VisibleFromId FROM Users WHERE NameKey = 'JIM'");
        Assert.True(visibleFrom >= numbered + 2, $"the claim came after the old owner's messages were numbered ({visibleFrom})");
        Assert.Equal(1, SqliteFile.In(server.DataDir).Scalar(
            $"SELECT COUNT(*) FROM Events e JOIN Senders s ON s.Id = e.FromId WHERE s.Name = 'jim' AND e.\"To\" IS NULL AND e.Kind = 0 AND e.Id > {visibleFrom}"));
    }
}
