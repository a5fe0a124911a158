using System.Threading.Channels;
using ChatApp.Chat;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// A node's reader of the shared log: one subscription to the bus, the id of the last event it applied, and
/// every event handed on exactly once, in id order. An id that is not the next one, a restored connection, and
/// a periodic check (a silently lost publication) each read the log from the last applied id with XRANGE.
/// StackExchange.Redis has no blocking XREAD, by design; the subscription is the wake-up, the log the truth.
/// An id the log never held (Redis lost its data and the sequence jumped to a node's floor) stays a hole.
/// </summary>
public sealed class RedisEventFeed(
    IConnectionMultiplexer redis, RedisKeys keys, RedisEventLog log, ScaleoutOptions options, TimeProvider clock, ILogger<RedisEventFeed> logger)
    : IAsyncDisposable
{
    private abstract record Signal
    {
        public sealed record Published(long Id, string Json) : Signal;
        public sealed record Check : Signal;
    }

    private readonly Channel<Signal> _signals = Channel.CreateUnbounded<Signal>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Func<ChatEvent, string?, ValueTask>? _apply;
    private ChannelMessageQueue? _subscription;
    private Task _loop = Task.CompletedTask;
    private Task _checks = Task.CompletedTask;
    private long _lastApplied;

    /// <summary>Id of the newest event this node has applied.</summary>
    public long LastApplied => Volatile.Read(ref _lastApplied);

    /// <summary>Starts after <paramref name="lastApplied"/> (what this node already holds); <paramref name="apply"/> gets each later event and its origin, one at a time.</summary>
    public async Task StartAsync(long lastApplied, Func<ChatEvent, string?, ValueTask> apply)
    {
        _lastApplied = lastApplied;
        _apply = apply;
        // Queued before subscribing, so what the log already holds comes first.
        _signals.Writer.TryWrite(new Signal.Check());
        redis.ConnectionRestored += OnConnectionRestored;
        _subscription = await redis.GetSubscriber().SubscribeAsync(keys.Bus);
        _subscription.OnMessage(message =>
        {
            var text = (string?)message.Message;
            var space = text?.IndexOf(' ') ?? -1;
            if (space > 0 && long.TryParse(text.AsSpan(0, space), out var id))
                _signals.Writer.TryWrite(new Signal.Published(id, text![(space + 1)..]));
        });
        _loop = RunAsync();
        _checks = CheckPeriodicallyAsync();
    }

    /// <summary>Asks for a read of the log now (after a restore, or when a caller suspects a gap).</summary>
    public void Check() => _signals.Writer.TryWrite(new Signal.Check());

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Check();

    private async Task CheckPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.LogCheckSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token)) Check();
        }
        catch (OperationCanceledException) { }
    }

    private async Task RunAsync()
    {
        await foreach (var signal in _signals.Reader.ReadAllAsync())
        {
            try
            {
                switch (signal)
                {
                    case Signal.Published p when p.Id <= _lastApplied: break; // already applied (read from the log first)
                    case Signal.Published p when p.Id == _lastApplied + 1: await ApplyAsync(p.Id, p.Json); break;
                    case Signal.Published p: await FillAsync(); if (p.Id > _lastApplied) await ApplyAsync(p.Id, p.Json); break;
                    case Signal.Check: await FillAsync(); break;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Redis is away: the next restore or periodic check reads on from the last applied id.
                logger.LogWarning(e, "Reading the shared log after {LastApplied} failed", _lastApplied);
            }
        }
    }

    /// <summary>Applies everything the log holds after the last applied id.</summary>
    private async Task FillAsync()
    {
        while (true)
        {
            var entries = await log.ReadAfterAsync(_lastApplied);
            foreach (var (id, json) in entries) await ApplyAsync(id, json);
            if (entries.Count == 0) return;
        }
    }

    private async Task ApplyAsync(long id, string json)
    {
        ChatEvent e;
        string? origin;
        try { (e, origin) = BusEventCodec.Decode(id, json); }
        catch (System.Text.Json.JsonException ex)
        {
            // Not an event this version can read: skipped, so one bad entry cannot stop the node.
            logger.LogError(ex, "Event {Id} in the shared log is unreadable; skipped", id);
            Volatile.Write(ref _lastApplied, id);
            return;
        }
        await _apply!(e, origin);
        Volatile.Write(ref _lastApplied, id);
    }

    public async ValueTask DisposeAsync()
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        _stopping.Cancel();
        if (_subscription is not null)
        {
            try { await _subscription.UnsubscribeAsync(); } catch (Exception e) when (e is RedisException or TimeoutException) { }
        }
        _signals.Writer.TryComplete();
        await _loop;
        await _checks;
        _stopping.Dispose();
    }
}
