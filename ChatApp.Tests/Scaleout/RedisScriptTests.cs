using ChatApp.Scaleout;
using ChatApp.Tests.Infrastructure;
using StackExchange.Redis;

namespace ChatApp.Tests.Scaleout;

/// <summary>Scripts run by hash against a real redis-server, and survive Redis forgetting them.</summary>
public sealed class RedisScriptTests
{
    [Fact]
    public async Task AScriptIsRunByItsHashAndAfterSCRIPTFLUSHItIsLoadedAgainAndTheCallStillAnswers()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await server.ConnectAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");
        var script = new RedisScript("return redis.call('INCR', KEYS[1])");
        var database = redis.GetDatabase();

        Assert.Equal(1, (long)await script.EvaluateAsync(database, ["counter"]));
        await admin.GetServers().Single().ScriptFlushAsync(); // the connection stays up: only NOSCRIPT tells
        Assert.Equal(2, (long)await script.EvaluateAsync(database, ["counter"]));
        await admin.GetServers().Single().ScriptFlushAsync();
        Assert.Equal(3, (long)await script.EvaluateAsync(database, ["counter"]));

        var info = (await admin.GetServers().Single().InfoAsync("all")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        Assert.Contains("errorstat_NOSCRIPT", info.Keys); // each flush was met by NOSCRIPT, and recovered from
        Assert.Contains("cmdstat_evalsha", info.Keys);
        Assert.DoesNotContain("cmdstat_eval", info.Keys); // the text went only with SCRIPT LOAD
    }
}
