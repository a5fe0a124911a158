using System.Collections.Concurrent;
using ChatApp.Storage;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Accounts;

/// <summary>
/// When each user was last here (a name in use is not released): in memory at once, on disk and in the directory at
/// most every few minutes, by a write that runs beside the caller. Every authenticated request marks its user; none
/// waits for that write, and a failed one only leaves it to the next.
/// </summary>
internal sealed class LastSeen(IDbContextFactory<ChatDbContext> contexts, IAccountDirectory directory, TimeProvider clock, ILogger log)
{
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMinutes(10);

    // Writes under way: waited for on stop.
    private readonly ConcurrentDictionary<Task, bool> _writes = new();

    public void Mark(UserAccount user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var last = user.LastSeenAt;
        user.LastSeenAt = now;
        if (last is not null && now - last.Value < WriteInterval) return;
        var write = Task.Run(() => WriteAsync(user.NameKey, now));
        _writes.TryAdd(write, true);
        write.ContinueWith(done => _writes.TryRemove(done, out _), TaskScheduler.Default);
    }

    public Task WrittenAsync(CancellationToken cancellationToken) => Task.WhenAll(_writes.Keys).WaitAsync(cancellationToken);

    private async Task WriteAsync(string key, DateTime now)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Users.Where(u => u.NameKey == key).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSeenAt, now));
            await directory.SeenAsync(key, now);
        }
        catch (Exception ex) { log.LogWarning(ex, "Writing when {Name} was last seen failed", key); } // memory has it; the next write catches up
    }
}
