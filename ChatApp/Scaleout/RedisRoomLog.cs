using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// The room's log shared by every node: a new event is appended by one script in Redis (idempotency, rate limit,
/// id, entry, publication), and comes back, like every other node's events, through this node's
/// <see cref="RedisEventFeed"/> in id order; it is written to this node's SQLite (a local replica, for history
/// older than Redis keeps) and then handed to the room. Redis unreachable: the send is refused as storage_unavailable.
/// </summary>
public sealed class RedisRoomLog(
    IConnectionMultiplexer redis, RedisKeys keys, RedisEventLog log, RedisEventFeed feed, EventWriter writer, NodeIdentity node,
    IOptions<ChatOptions> options, TimeProvider clock, ILogger<RedisRoomLog> logger) : IRoomLog
{
    /// <summary>How long a starting node waits to catch up with the log before it serves anyway (the rest then arrives live).</summary>
    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(30);

    /// <summary>Raises the sequence to a node's newest id, so a Redis that lost its data never numbers below it.</summary>
    private static readonly RedisScript RaiseSequence = new("""
        if tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
        return 1
        """);

    private RoomInbox? _inbox;
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _catchUpTo;

    public long LastId => feed.LastApplied;

    public async Task StartAsync(long lastStoredId, RoomInbox inbox, CancellationToken cancellationToken)
    {
        _inbox = inbox;
        _catchUpTo = await TopOfLogAsync();
        if (_catchUpTo <= lastStoredId) _caughtUp.TrySetResult();
        writer.BatchDone = async (events, stored) =>
        {
            await inbox.StoredAsync(events, stored);
            if (events.Count > 0 && events[^1].Id >= _catchUpTo) _caughtUp.TrySetResult();
        };
        redis.ConnectionRestored += (_, _) => _ = RaiseSequenceAsync(feed.LastApplied);
        await RaiseSequenceAsync(lastStoredId);
        await feed.StartAsync(lastStoredId, Apply);
    }

    public async Task CaughtUpAsync(CancellationToken cancellationToken)
    {
        try { await _caughtUp.Task.WaitAsync(CatchUpLimit, clock, cancellationToken); }
        catch (TimeoutException)
        {
            logger.LogWarning("Not caught up with the shared log (up to {Top}) after {Limit}; serving, the rest arrives live", _catchUpTo, CatchUpLimit);
        }
    }

    /// <summary>The newest id in the log now (0 when Redis is away: nothing to wait for, the feed reads on when it is back).</summary>
    private async Task<long> TopOfLogAsync()
    {
        try { return await log.TopAsync(); }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Reading the top of the shared log failed; starting without waiting to catch up");
            return 0;
        }
    }

    /// <summary>An event from the log, in id order: into this node's replica, whose commit hands it to the room.</summary>
    private ValueTask Apply(ChatEvent e, string? origin)
    {
        var mine = $"{node.Id}:";
        if (origin is not null && origin.StartsWith(mine, StringComparison.Ordinal) && long.TryParse(origin.AsSpan(mine.Length), out var ticket))
            e.Ticket = ticket;
        writer.Enqueue(e);
        return ValueTask.CompletedTask;
    }

    public ChatError? Append(ChatEvent e, long ticket, bool limited)
    {
        _ = AppendAsync(e, ticket, limited);
        return null;
    }

    private async Task AppendAsync(ChatEvent e, long ticket, bool limited)
    {
        try
        {
            var result = await log.AppendAsync(e, e.From is { } from ? Names.Key(from) : "", limited ? options.Value.RateLimit : null,
                feed.LastApplied, ticket == 0 ? null : $"{node.Id}:{ticket}");
            switch (result.Outcome)
            {
                case AppendOutcome.RateLimited: await _inbox!.RefusedAsync(ticket, ChatError.RateLimited); break;
                case AppendOutcome.Duplicate:
                    var stored = result.StoredJson is { } json ? BusEventCodec.Decode(result.Id, json).Event : null;
                    await _inbox!.RepeatedAsync(ticket, result.Id, stored);
                    break;
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Never a silent drop: whoever sent it hears that it was not stored.
            logger.LogWarning(ex, "Appending an event to the shared log failed");
            await _inbox!.RefusedAsync(ticket, ChatError.StorageUnavailable);
        }
    }

    private async Task RaiseSequenceAsync(long floor)
    {
        try { await RaiseSequence.EvaluateAsync(redis.GetDatabase(), [keys.Sequence], [floor]); }
        catch (Exception ex) when (ex is RedisException or TimeoutException) { logger.LogWarning(ex, "Raising the shared sequence failed"); }
    }

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return $"Redis is unreachable: {ex.Message}";
        }
    }
}
