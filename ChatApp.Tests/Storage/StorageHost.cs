using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Storage;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Tests.Storage;

/// <summary>
/// The app's storage services on one database file, migrated, with its writer running: the archive without the room.
/// </summary>
public sealed class StorageHost : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ServiceProvider _services;
    private readonly EventWriter _writer;
    private long _queued;
    private volatile bool _failed;

    private StorageHost(ServiceProvider services)
    {
        _services = services;
        _writer = services.GetRequiredService<EventWriter>();
        _writer.BatchDone = (_, stored) => { _failed |= !stored; return ValueTask.CompletedTask; };
    }

    public static async Task<StorageHost> StartAsync(SqliteFile file)
    {
        var storage = new StorageHost(await ServicesAsync(file));
        await storage._writer.StartAsync(CancellationToken.None);
        return storage;
    }

    /// <summary>The app's storage services on <paramref name="file"/>, migrated; the writer not started.</summary>
    public static async Task<ServiceProvider> ServicesAsync(SqliteFile file)
    {
        var services = new ServiceCollection()
            .AddLogging().AddMetrics().AddSingleton<ChatMetrics>()
            .Configure<ChatOptions>(o => o.DataDir = file.Directory)
            .AddStorage()
            .BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        SchemaMigrator.Migrate(db);
        return services;
    }

    /// <summary>Stores <paramref name="events"/> (in one batch or more, as the writer takes them).</summary>
    public async Task WriteAsync(params ChatEvent[] events)
    {
        _queued += events.Length;
        foreach (var e in events) _writer.Enqueue(e);
        var metrics = _services.GetRequiredService<ChatMetrics>();
        await Eventually.ThatAsync(() => _failed || metrics.EventsStored >= _queued, "every event is stored");
        Assert.False(_failed, "a batch was not stored");
    }

    public async Task<long> CountAsync(string name, long afterId) =>
        await _services.GetRequiredService<EventStore>().PublicMessageCountAsync(name, afterId, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>What the account store does when it gives a released name to a new owner.</summary>
    public async Task ClaimAsync(string name, long visibleFromId)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        await PublicMessageCounts.MoveAsync(db, name, visibleFromId, CancellationToken.None).WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        await _services.DisposeAsync();
    }
}
