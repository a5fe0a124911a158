using ChatApp.Chat;

namespace ChatApp.Tests.Storage;

/// <summary>
/// The profile's count of a name's public messages, kept per sender by the writer in each batch's transaction
/// (Storage/PublicMessageCounts.cs), through the real writer and store on a real database: the same count the rows give,
/// from wherever the name's current owner begins, whatever order a claim and the old owner's last commits come in.
/// </summary>
public sealed class PublicMessageCountTests
{
    private static readonly DateTime Ts = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ANameClaimedWhileItsOldOwnersMessagesAreStillQueuedCountsNoneOfThem()
    {
        var file = SqliteFile.Empty();
        await using (var storage = await StorageHost.StartAsync(file))
        {
            await storage.WriteAsync(Message(1, "jim"), Message(2, "jim"), Message(3, "ann"));
            Assert.Equal(2, await storage.CountAsync("jim", afterId: 0));

            // The name is claimed again when the room has numbered up to 5, and the old owner's 4 and 5 are not stored yet.
            await storage.ClaimAsync("jim", visibleFromId: 5);
            Assert.Equal(0, await storage.CountAsync("jim", afterId: 5));
            await storage.WriteAsync(Message(4, "jim"), Message(5, "jim"), Message(6, "jim"));
            Assert.Equal(1, await storage.CountAsync("jim", afterId: 5));

            // Neither private messages, nor files, nor edits and deletions count; a deleted message still does.
            await storage.WriteAsync(
                Message(7, "jim", to: "ann"),
                new ChatEvent { Id = 8, Ts = Ts, Kind = ChatEventKind.File, From = "jim", Text = "a.png", FileName = "a.png", ContentType = "image/png", FileSize = 1, FileKey = "k" },
                new ChatEvent { Id = 9, Ts = Ts, Kind = ChatEventKind.Edit, From = "jim", Target = 6, Text = "six", Html = "<p>six</p>\n" },
                new ChatEvent { Id = 10, Ts = Ts, Kind = ChatEventKind.Delete, From = "jim", Target = 6 },
                new ChatEvent { Id = 11, Ts = Ts, Kind = ChatEventKind.System, SystemEvent = "join", User = "jim", Text = "jim joined" });
            Assert.Equal(1, await storage.CountAsync("jim", afterId: 5));
        }

        // The counts are on disk with the rows, and agree with them from any id a reader asks.
        await using (var storage = await StorageHost.StartAsync(file))
        {
            Assert.Equal(1, await storage.CountAsync("jim", afterId: 5));
            Assert.Equal(5, await storage.CountAsync("jim", afterId: 0));
            Assert.Equal(3, await storage.CountAsync("jim", afterId: 2));
            Assert.Equal(1, await storage.CountAsync("ann", afterId: 0));
            Assert.Equal(0, await storage.CountAsync("nobody", afterId: 0));
            // And go on from there.
            await storage.WriteAsync(Message(12, "jim"));
            Assert.Equal(4, await storage.CountAsync("jim", afterId: 2));
        }
        Assert.Equal(4, RowCount(file, "jim", afterId: 2));
    }

    [Fact]
    public async Task ANameClaimedBeforeItEverSentCountsNoneOfWhatItsOldOwnerSendsUpToTheClaim()
    {
        var file = SqliteFile.Empty();
        await using var storage = await StorageHost.StartAsync(file);
        // The old owner's first message is numbered 1 and still queued when the name is claimed again at 1.
        await storage.ClaimAsync("jim", visibleFromId: 1);
        await storage.WriteAsync(Message(1, "jim"), Message(2, "jim"));
        Assert.Equal(1, await storage.CountAsync("jim", afterId: 1));
    }

    private static ChatEvent Message(long id, string from, string? to = null) =>
        new() { Id = id, Ts = Ts, Kind = ChatEventKind.Message, From = from, To = to, Text = $"message {id}", Html = $"<p>message {id}</p>\n" };

    /// <summary>The count as the rows give it, as the index of public messages counted it before.</summary>
    private static long RowCount(SqliteFile file, string name, long afterId) => file.Scalar(
        $"SELECT COUNT(*) FROM Events e JOIN Senders s ON s.Id = e.FromId WHERE s.Name = '{name}' AND e.\"To\" IS NULL AND e.Kind = 0 AND e.Id > {afterId}");
}
