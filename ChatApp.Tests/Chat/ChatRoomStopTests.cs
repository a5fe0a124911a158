using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Storage;
using ChatApp.Tests.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Tests.Chat;

/// <summary>The room (Chat/ChatRoom.cs) on a real database: a post it accepted is stored, however soon it is stopped.</summary>
public sealed class ChatRoomStopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARoomStoppedAsSoonAsItStartedStoresThePostsItAccepted()
    {
        // The room's loop starts on the thread pool: a stop right after the start usually comes before the loop first runs.
        for (var round = 0; round < 20; round++)
        {
            var file = SqliteFile.Empty();
            await using var services = await ServicesAsync(file);
            var writer = services.GetRequiredService<EventWriter>();
            var room = services.GetRequiredService<ChatRoom>();
            await writer.StartAsync(CancellationToken.None);
            await room.StartAsync(CancellationToken.None);
            // Not awaited: its answer comes with the stored batch, which a stopped room no longer reads.
            _ = room.PostAndWaitAsync(new ChatUser("ann", 0), new PostDraft(ChatEventKind.Message, "accepted", "<p>accepted</p>\n", null, null));
            await room.StopAsync(CancellationToken.None).WaitAsync(Timeout); // the host stops the room before the writer
            await writer.StopAsync(CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(1, file.Scalar("SELECT COUNT(*) FROM Events WHERE Text = 'accepted'"));
        }
    }

    private static async Task<ServiceProvider> ServicesAsync(SqliteFile file)
    {
        var services = new ServiceCollection()
            .AddLogging().AddMetrics().AddSingleton<ChatMetrics>().AddSingleton(TimeProvider.System)
            .Configure<ChatOptions>(o => o.DataDir = file.Directory)
            .AddStorage()
            .AddChatRoom()
            .BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        SchemaMigrator.Migrate(db);
        return services;
    }
}
