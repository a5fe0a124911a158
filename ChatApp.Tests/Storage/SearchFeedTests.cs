using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Tests.Storage;

/// <summary>
/// The writer adds a batch's texts to the search index after the batch's rows, and only then applies the batch's edits
/// and deletions (whose triggers take the old texts out of the index): one batch holding a message and its change must
/// leave the index agreeing with the rows.
/// </summary>
public sealed class SearchFeedTests
{
    [Fact]
    public async Task ABatchWithMessagesAFileAndTheirEditsAndDeletionsLeavesTheSearchIndexAgreeingWithTheRows()
    {
        var file = SqliteFile.Empty();
        await using var services = await StorageHost.ServicesAsync(file);
        var writer = services.GetRequiredService<EventWriter>();
        var done = new TaskCompletionSource<(int Count, bool Stored)>(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.BatchDone = (batch, stored) => { done.TrySetResult((batch.Count, stored)); return ValueTask.CompletedTask; };
        var ts = new DateTime(2026, 11, 29, 12, 0, 0, 123, DateTimeKind.Utc);
        ChatEvent Message(long id, string text) => new() { Id = id, Ts = ts, Kind = ChatEventKind.Message, From = "ann", Text = text, Html = $"<p>{text}</p>\n" };
        // Queued before the writer starts, so they are one batch.
        writer.Enqueue(Message(1, "first walrus"));
        writer.Enqueue(Message(2, "second walrus"));
        writer.Enqueue(new ChatEvent { Id = 3, Ts = ts, Kind = ChatEventKind.File, From = "ann", FileName = "walrus.png", ContentType = "image/png", FileSize = 5, FileKey = "k" });
        writer.Enqueue(new ChatEvent { Id = 4, Ts = ts, Kind = ChatEventKind.Edit, From = "ann", Target = 1, Text = "first narwhal", Html = "<p>first narwhal</p>\n" });
        writer.Enqueue(new ChatEvent { Id = 5, Ts = ts, Kind = ChatEventKind.Delete, From = "ann", Target = 2 });
        writer.Enqueue(new ChatEvent { Id = 6, Ts = ts, Kind = ChatEventKind.System, SystemEvent = "join", User = "walrus", Text = "walrus joined" });

        await writer.StartAsync(CancellationToken.None);
        Assert.Equal((6, true), await done.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await writer.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        file.Execute("INSERT INTO EventSearch(EventSearch, rank) VALUES ('integrity-check', 1)");
        Assert.Equal(["3"], file.Query("SELECT rowid FROM EventSearch WHERE EventSearch MATCH 'walrus'").Select(r => r[0]));
        Assert.Equal(["1"], file.Query("SELECT rowid FROM EventSearch WHERE EventSearch MATCH 'narwhal'").Select(r => r[0]));
        // Times and kinds as numbers: the wire's milliseconds and ChatEventKind's values.
        Assert.Equal(["1795953600123", "0", "1795953600123"], file.Query("SELECT Ts, Kind, json_extract(Extra, '$.ed') FROM Events WHERE Id = 1").Single());
        Assert.Equal(["1", "3", "4", "2"], file.Query("SELECT Kind FROM Events WHERE Id IN (3, 4, 5, 6) ORDER BY Id").Select(r => r[0]));
    }
}
