using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// This node's life among the others: at start it drops its previous life's connections and reads the shared
/// roster; then it beats (a node not heard from within Chat:NodeTimeoutSeconds is dead) and sweeps (parts the
/// users of dead nodes and of graces run out; every node sweeps, the script makes that safe). A beat that finds
/// this node forgotten (swept during a partition, or Redis lost its data) registers its connections again.
/// </summary>
public sealed class RedisNodeService(
    RedisPresence presence, RedisRoomPresence roomPresence, RedisEventFeed feed, NodeIdentity node, ScaleoutOptions options,
    TimeProvider clock, ILogger<RedisNodeService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await presence.SweepAsync(feed.LastApplied, restartedNode: node.Id);
        await presence.HeartbeatAsync(node.Id, feed.LastApplied);
        await roomPresence.LoadRosterAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.NodeHeartbeatSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!await presence.HeartbeatAsync(node.Id, feed.LastApplied))
                    {
                        logger.LogWarning("Redis had forgotten node {Node}; registering its connections again", node.Id);
                        await roomPresence.RegisterAgainAsync();
                        await roomPresence.LoadRosterAsync();
                    }
                    await presence.SweepAsync(feed.LastApplied);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    logger.LogWarning(ex, "Node {Node}'s heartbeat or sweep failed", node.Id);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        roomPresence.Stop();
        await base.StopAsync(cancellationToken);
        // Leaving for good: this node's remaining connections part now rather than when the heartbeat runs out.
        try { await presence.SweepAsync(feed.LastApplied, restartedNode: node.Id).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken); }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException) { }
    }
}
