using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Tests.Storage;

/// <summary>The writer (Storage/EventWriter.cs) on a real database: what it accepted is stored, however soon it is stopped.</summary>
public sealed class EventWriterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTime Ts = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task AWriterStoppedAsSoonAsItStartedStoresEverythingItAccepted()
    {
        // The writer's loop starts on the thread pool: a stop right after the start usually comes before the loop first runs.
        for (var round = 0; round < 20; round++)
        {
            var file = SqliteFile.Empty();
            await using var services = await StorageHost.ServicesAsync(file);
            var writer = services.GetRequiredService<EventWriter>();
            writer.Enqueue(Message(1));
            await writer.StartAsync(CancellationToken.None);
            writer.Enqueue(Message(2));
            await writer.StopAsync(CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(2, file.Scalar("SELECT COUNT(*) FROM Events"));
        }
    }

    [Fact]
    public async Task AWriterStoppedWithoutHavingStartedStoresEverythingItAccepted()
    {
        var file = SqliteFile.Empty();
        await using var services = await StorageHost.ServicesAsync(file);
        var writer = services.GetRequiredService<EventWriter>();
        writer.Enqueue(Message(1));
        await writer.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(1, file.Scalar("SELECT COUNT(*) FROM Events"));
    }

    private static ChatEvent Message(long id) =>
        new() { Id = id, Ts = Ts, Kind = ChatEventKind.Message, From = "ann", Text = $"message {id}", Html = $"<p>message {id}</p>\n" };
}
