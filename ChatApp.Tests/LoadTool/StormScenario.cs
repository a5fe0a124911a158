using System.Diagnostics;

namespace ChatApp.LoadTool;

/// <summary>
/// storm: a reconnect storm. Signs N users in (or K users for N connections, as tabs), restarts the server, then
/// opens every connection at once. Done when every connection has welcome, replay, replayed, its roster and the
/// joins that follow, i.e. knows all K users to be online. Reports the time and the server's memory before,
/// at its peak, and once settled. A SignalR hub (<c>--protocol signalr</c>) has no sessions, roster or joins: there
/// it is done when every connection has its handshake answer. With <c>--reconnect 1</c> every connection is open before
/// the server is killed (-9) and started again, and nothing warms it up after: the users come back inside their presence
/// grace, listed in the roster from the start and with no join of their own.
/// </summary>
public static class StormScenario
{
    public static async Task<Report> RunAsync(Options o)
    {
        var count = o.Int("clients", 5000);
        var users = o.Int("users", 0) is > 0 and var u ? u : count;
        var concurrency = o.Int("concurrency", 500);
        var timeout = TimeSpan.FromSeconds(o.Number("open-timeout", 120));
        await using var server = await ServerUnderTest.StartAsync(o);
        var prefix = Crowd.NewPrefix("st");
        var accounts = await Crowd.SignInAsync(server.Url, prefix, users, o.Int("sign-in-concurrency", 100), server.SignalR);
        var reconnect = o.Int("reconnect", 0) > 0 && !server.SignalR && o.Text("url") is null;
        var cutOff = reconnect ? await Crowd.ConnectAsync(server.Url, accounts, count, i => i % users, concurrency, 0, timeout, dialect: server.Dialect) : [];
        if (o.Text("url") is null) await server.RestartAsync(); // sessions are stored: a restart keeps everyone signed in
        foreach (var client in cutOff) client.Abandon();

        if (!reconnect)
        {
            var warmAccounts = await Crowd.SignInAsync(server.Url, Crowd.NewPrefix("warm"), 20, 20, server.SignalR);
            await Crowd.CloseAllAsync(await Crowd.ConnectAsync(server.Url, warmAccounts, 20, i => i, 20, 0, timeout, dialect: server.Dialect));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var before = server.Rss();

        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.Rss());
                try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        var clock = Stopwatch.StartNew();
        var cpuBefore = server.CpuTime();
        var sets = new UserSet?[count];
        var clients = await Crowd.ConnectAsync(server.Url, accounts, count, i => i % users, concurrency, 0, timeout,
            known: server.SignalR ? null : i => sets[i] = new UserSet(prefix, users), dialect: server.Dialect);
        var connected = clock.Elapsed.TotalSeconds;
        var deadline = clock.Elapsed + TimeSpan.FromSeconds(o.Number("storm-timeout", 300));
        while (sets.Any(s => s is { Complete: false }) && clock.Elapsed < deadline && clients.All(c => !c.Closed)) await Task.Delay(20);
        var complete = server.SignalR ? clients.Count(c => c.HasRoster && !c.Closed) : sets.Count(s => s!.Complete);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = (server.CpuTime() - cpuBefore).TotalSeconds;

        await Task.Delay(TimeSpan.FromSeconds(o.Number("wait", 10)));
        sampling.Cancel();
        await sampler;
        var after = server.Rss();
        var report = new Report("storm").Add("connections", count).Add("users", users).Add("reconnect", reconnect ? 1 : 0)
            .Add("connections complete", complete).Add("connections closed early", clients.Count(c => c.Closed))
            .Add("seconds to all rosters", connected).Add("seconds to all received", seconds)
            .Add("server CPU seconds", cpu).Add("frames received", clients.Sum(c => c.Frames))
            .Add("RSS before MiB", Report.Mib(before)).Add("RSS peak MiB", Report.Mib(peak)).Add("RSS settled MiB", Report.Mib(after))
            .Add("settled KiB per connection", (after - before) / 1024.0 / count);
        await Crowd.CloseAllAsync(clients);
        return report;
    }
}
