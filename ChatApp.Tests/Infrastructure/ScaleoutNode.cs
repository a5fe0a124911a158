using System.Threading.Channels;
using ChatApp.Chat;
using ChatApp.Scaleout;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// One "node" of the scale-out pieces inside the test process: its own Redis connection, log, presence and
/// feed, with every event the feed hands on collected in order. Several of them over one redis-server make a cluster.
/// </summary>
public sealed class ScaleoutNode : IAsyncDisposable
{
    private readonly Channel<(ChatEvent Event, string? Origin)> _applied = Channel.CreateUnbounded<(ChatEvent, string?)>();

    private ScaleoutNode(ConnectionMultiplexer redis, ScaleoutOptions options, FakeTimeProvider clock, string name)
    {
        Redis = redis;
        Options = options;
        Clock = clock;
        Name = name;
        Keys = new RedisKeys();
        Log = new RedisEventLog(redis, Keys, options, clock);
        Presence = new RedisPresence(redis, Keys, options, clock);
        Accounts = new RedisAccounts(redis, Keys);
        Feed = new RedisEventFeed(redis, Keys, Log, options, clock, NullLogger<RedisEventFeed>.Instance);
    }

    public ConnectionMultiplexer Redis { get; }
    public ScaleoutOptions Options { get; }
    public FakeTimeProvider Clock { get; }
    public string Name { get; }
    public RedisKeys Keys { get; }
    public RedisEventLog Log { get; }
    public RedisPresence Presence { get; }
    public RedisAccounts Accounts { get; }
    public RedisEventFeed Feed { get; }

    public static async Task<ScaleoutNode> StartAsync(RedisServer server, string name, FakeTimeProvider? clock = null, ScaleoutOptions? options = null, long lastApplied = 0)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var node = new ScaleoutNode(redis, options ?? new ScaleoutOptions { Redis = server.ConnectionString, PresenceGraceSeconds = 0 }, clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow), name);
        await node.Feed.StartAsync(lastApplied, (e, origin) => node._applied.Writer.WriteAsync((e, origin)));
        return node;
    }

    /// <summary>A message from <paramref name="from"/>, as a node builds it before the log gives it an id.</summary>
    public ChatEvent Message(string from, string text, string? clientId = null, string? to = null) => new()
    {
        Ts = Clock.GetUtcNow().UtcDateTime, Kind = ChatEventKind.Message, From = from, Text = text, Html = $"<p>{text}</p>", ClientId = clientId, To = to,
    };

    public Task<AppendResult> SayAsync(string from, string text, string? clientId = null, RateLimitOptions? limit = null) =>
        Log.AppendAsync(Message(from, text, clientId), from.ToLowerInvariant(), limit, Feed.LastApplied);

    /// <summary>The next event this node's feed applied.</summary>
    public async Task<ChatEvent> NextAsync()
    {
        using var cts = new CancellationTokenSource(ChatServer.Timeout);
        return (await _applied.Reader.ReadAsync(cts.Token)).Event;
    }

    /// <summary>Events applied until (and including) the one whose text is <paramref name="marker"/>.</summary>
    public async Task<List<ChatEvent>> UntilAsync(string marker)
    {
        var events = new List<ChatEvent>();
        while (true)
        {
            var e = await NextAsync();
            events.Add(e);
            if (e.Text == marker) return events;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
