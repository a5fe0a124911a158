using ChatApp.Accounts;
using ChatApp.Scaleout;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Scaleout;

/// <summary>The Redis limits against a real redis-server, in-process so time can be faked where the node's clock decides.</summary>
public sealed class RedisLimitsTests
{
    [Fact]
    public async Task TheRedisPasswordBackoffFollowsTheInMemorySchedulePerNameAndForgets()
    {
        await using var server = await RedisServer.StartAsync();
        await using var redis = await server.ConnectAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000)); // whole ms: Redis counts in ms
        var shared = new RedisPasswordBackoff(redis, new RedisKeys(), clock);
        var local = new PasswordBackoff(clock);

        var answers = new List<(TimeSpan? Shared, TimeSpan? Local)>();
        async Task Attempt(string name) => answers.Add((await shared.TryBeginAsync(name), local.TryBegin(name)));
        for (var i = 0; i < PasswordBackoff.FreeFailures + 2; i++) await Attempt("jim"); // the free ones, one charged, one refused
        for (var i = 0; i < 14; i++)
        {
            clock.Advance(answers[^1].Local ?? TimeSpan.Zero);
            await Attempt("jim"); // allowed: the wait doubles up to the cap
            await Attempt("jim"); // refused with the new wait
        }
        await Attempt("ann"); // another name is not slowed
        await shared.SucceededAsync("jim");
        local.Succeeded("jim");
        await Attempt("jim");
        for (var i = 0; i < PasswordBackoff.FreeFailures + 1; i++) await Attempt("bob");
        clock.Advance(PasswordBackoff.ForgetAfter);
        await Attempt("bob");

        Assert.All(answers, pair => Assert.Equal(pair.Local, pair.Shared));
        Assert.Equal(PasswordBackoff.MaxWait, answers.Max(pair => pair.Shared));
        Assert.Equal(TimeSpan.FromSeconds(1), answers[PasswordBackoff.FreeFailures + 1].Shared);
        Assert.Null(answers[^1].Shared); // an hour without attempts: bob starts again
    }

    [Fact]
    public async Task TwoNodesWindowCountersShareOneWindowPerKey()
    {
        await using var server = await RedisServer.StartAsync();
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        var a = new RedisWindowCounter(first, new RedisKeys());
        var b = new RedisWindowCounter(second, new RedisKeys());
        var window = TimeSpan.FromHours(1);

        Assert.Equal(1, (await a.HitAsync("signin:10.0.0.1", window)).Hits);
        Assert.Equal(2, (await b.HitAsync("signin:10.0.0.1", window)).Hits);
        var third = await a.HitAsync("signin:10.0.0.1", window);
        Assert.Equal(1, (await b.HitAsync("signin:10.0.0.2", window)).Hits);

        Assert.Equal(3, third.Hits);
        Assert.InRange(third.Remaining, TimeSpan.FromMinutes(59), window);
    }
}
