using ChatApp.Connections;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Diagnostics;

/// <summary>The real server gives its cached socket buffers back once it goes quiet after a burst (its checks on a fake clock).</summary>
public sealed class MemoryTrimTests
{
    [Fact]
    public async Task AfterABurstOfChatTheCachedSocketBuffersAreDroppedAtTheNextCheckAndTheTrimIsCounted()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Every check counts as quiet here (other tests share this process's allocations); a 1 MiB burst is enough.
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:Memory:CheckSeconds"] = "2", ["Chat:Memory:BurstMegabytes"] = "1", ["Chat:Memory:QuietMegabytes"] = "1000000",
        }, clock: clock);
        var pool = server.Service<TrimmableBlockPool>();
        var sockets = new List<TestSocket>();
        try
        {
            for (var i = 0; i < 10; i++) sockets.Add(await server.JoinAsync($"burst{i}"));
            for (var i = 0; i < 20; i++) await sockets[i % 10].SendJsonAsync(new { type = "message", text = $"burst {i}" });
            foreach (var socket in sockets) await socket.ExpectMessageAsync("burst 19");
            // A direct socket sends from a buffer of its own; what Kestrel keeps in the pool is what it reads into, and
            // a connection's read block goes back when it closes: half of them leave.
            for (var i = 5; i < 10; i++) await sockets[i].DisposeAsync();
            await Eventually.ThatAsync(() => pool.Cached > 0, "the sockets' buffers are back in the pool");

            // The outboxes' segment pool is one per process: while another test's clients hold a backlog, a check
            // sees the server busy and waits for the next one. Each look moves the clock on to the next check.
            await Eventually.ThatAsync(() =>
            {
                if (pool.Cached == 0) return true;
                clock.Advance(TimeSpan.FromSeconds(2));
                return false;
            }, "the pool was emptied");
            using var anonymous = server.Client();
            var metrics = await anonymous.GetStringAsync("/metrics");
            Assert.Matches(@"chatapp_memory_trims_total(\{[^}]*\})? [1-9]", metrics); // at least this one
            // The chat goes on with fresh buffers.
            await sockets[0].SendJsonAsync(new { type = "message", text = "after the trim" });
            await sockets[4].ExpectMessageAsync("after the trim");
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }
    }
}
