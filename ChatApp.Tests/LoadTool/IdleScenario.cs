using System.Diagnostics;

namespace ChatApp.LoadTool;

/// <summary>idle: memory per idle connection. Warms the server with 20 connections, then opens N (paced) and waits.</summary>
public static class IdleScenario
{
    public static async Task<Report> RunAsync(Options o)
    {
        var count = o.Int("clients", 5000);
        var concurrency = o.Int("concurrency", 100);
        var timeout = TimeSpan.FromSeconds(o.Number("open-timeout", 60));
        await using var server = await ServerUnderTest.StartAsync(o);
        var accounts = await Crowd.SignInAsync(server.Url, Crowd.NewPrefix("idle"), count + 20, concurrency, server.SignalR);

        var warm = await Crowd.ConnectAsync(server.Url, accounts, 20, i => count + i, 20, 0, timeout, dialect: server.Dialect);
        await Crowd.CloseAllAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = server.Rss();

        var clock = Stopwatch.StartNew();
        var clients = await Crowd.ConnectAsync(server.Url, accounts, count, i => i, concurrency, o.Number("connect-rate", 1000), timeout, dialect: server.Dialect);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(o.Number("wait", 10)));
        var after = server.Rss();
        var open = clients.Count(c => !c.Closed);

        var report = new Report("idle").Add("connections", open).Add("seconds to connect", connectSeconds)
            .Add("RSS before MiB", Report.Mib(before)).Add("RSS after MiB", Report.Mib(after))
            .Add("KiB per connection", (after - before) / 1024.0 / Math.Max(1, open));
        await Crowd.CloseAllAsync(clients);
        return report;
    }
}
