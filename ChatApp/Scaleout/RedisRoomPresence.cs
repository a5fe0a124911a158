using System.Collections.Concurrent;
using ChatApp.Chat;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// Who is online across every node. A presence connection is registered in Redis (<see cref="RedisPresence"/>),
/// whose scripts append join and part when a user's count anywhere crosses 0/1; the roster here follows those
/// notices as the room applies them, starting from a snapshot taken with the log's top id.
/// Registration runs off the room's loop, one connection's steps in order, retried while Redis is away.
/// </summary>
public sealed class RedisRoomPresence(
    IConnectionMultiplexer redis, RedisKeys keys, RedisPresence presence, RedisEventFeed feed, NodeIdentity node,
    ILogger<RedisRoomPresence> logger) : IRoomPresence
{
    private static readonly RedisScript SnapshotScript = new("""
        local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
        local id = 0
        if #top > 0 then id = tonumber(string.match(top[1][1], '^(%d+)')) end
        return {id, redis.call('HVALS', KEYS[2])}
        """);
    private const int RememberedNotices = 1000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>This node's presence connections and the last step (registration or removal) of each.</summary>
    private readonly ConcurrentDictionary<RoomSubscriber, (string Id, Task Step)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _roster = new();
    private readonly Queue<ChatEvent> _recentNotices = new(); // guarded by _roster
    private string[] _sorted = [];
    private long _counter;

    public IReadOnlyList<string> SortedNames => Volatile.Read(ref _sorted);

    public IReadOnlyList<string> OnlineNames() => Volatile.Read(ref _sorted); // replaced, never changed in place

    public bool Add(RoomSubscriber connection)
    {
        var id = $"{node.Id}:{Interlocked.Increment(ref _counter)}";
        var user = connection.User.Name;
        _connections[connection] = (id, RetryAsync(() => presence.ConnectAsync(node.Id, id, Names.Key(user), user, feed.LastApplied)));
        // The joining connection's roster lists its own user, as on one node; the join itself comes through the log.
        lock (_roster) Volatile.Write(ref _sorted, With(_sorted, new ChatEvent { SystemEvent = "join", User = user }));
        return false;
    }

    public bool Remove(RoomSubscriber connection)
    {
        if (_connections.TryRemove(connection, out var entry))
            _ = RemoveAfterAsync(entry.Id, entry.Step);
        return false; // the part, if any, comes through the log
    }

    public bool Drop(string name) => false; // never asked: Remove never hands a part to the room

    public bool Resume(string name) => false; // a restarted node's connections end in Redis, under its own grace

    private async Task RemoveAfterAsync(string id, Task registered)
    {
        await registered; // a removal never overtakes its registration, or the connection would stay a ghost
        await RetryAsync(() => presence.DisconnectAsync(id, feed.LastApplied));
    }

    public void Applied(ChatEvent e)
    {
        if (e.SystemEvent is not ("join" or "part") || e.User is null) return;
        lock (_roster)
        {
            _recentNotices.Enqueue(e);
            if (_recentNotices.Count > RememberedNotices) _recentNotices.Dequeue();
            Volatile.Write(ref _sorted, With(_sorted, e));
        }
    }

    /// <summary>Reads the shared roster and the log's top id in one step; notices after that id already applied here are applied again on top.</summary>
    public async Task LoadRosterAsync()
    {
        var result = (RedisResult[])(await SnapshotScript.EvaluateAsync(redis.GetDatabase(), [keys.Log, keys.Online]))!;
        var top = (long)result[0];
        var names = ((RedisResult[])result[1]!).Select(n => (string)n!).ToArray();
        Array.Sort(names, StringComparer.OrdinalIgnoreCase);
        lock (_roster)
        {
            foreach (var e in _recentNotices)
                if (e.Id > top) names = With(names, e);
            Volatile.Write(ref _sorted, names);
        }
    }

    /// <summary>Registers every connection of this node again (Redis forgot this node: swept as dead, or it lost its data).</summary>
    public async Task RegisterAgainAsync()
    {
        foreach (var (connection, (id, _)) in _connections)
        {
            var user = connection.User.Name;
            await presence.ConnectAsync(node.Id, id, Names.Key(user), user, feed.LastApplied);
        }
    }

    public void Stop() => _stopping.Cancel();

    private static string[] With(string[] sorted, ChatEvent notice)
    {
        var name = notice.User!;
        var at = Array.FindIndex(sorted, n => Names.Equal(n, name));
        if (notice.SystemEvent == "join")
        {
            if (at >= 0) return sorted;
            var list = sorted.ToList();
            var index = list.BinarySearch(name, StringComparer.OrdinalIgnoreCase);
            list.Insert(index < 0 ? ~index : index, name);
            return [.. list];
        }
        return at < 0 ? sorted : [.. sorted[..at], .. sorted[(at + 1)..]];
    }

    private async Task RetryAsync(Func<Task<long>> step)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await step();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                logger.LogWarning(ex, "A presence step failed; retrying");
                try { await Task.Delay(RetryDelay, _stopping.Token); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
