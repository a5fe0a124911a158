using System.Diagnostics;
using System.Net.Http.Headers;

namespace ChatApp.LoadTool;

/// <summary>
/// history: a long history on disk (seeded, default 1,000,000 events, or <c>--data DIR</c> seeded before), then
/// the reads that touch it, one at a time, each timed <c>--samples</c> times: a new connection's replay of the
/// last 50, a since replay of 1,000, <c>GET /api/messages</c> paging from random points, the profile page and the
/// chat page's first paint.
/// </summary>
public static class HistoryScenario
{
    public static async Task<Report> RunAsync(Options o)
    {
        var report = new Report("history");
        var dataDir = o.Text("data");
        string prefix;
        int users;
        var ownsData = dataDir is null;
        if (dataDir is null)
        {
            dataDir = Path.Combine(Path.GetTempPath(), "chatapp-load", Guid.NewGuid().ToString("N"));
            var seeded = await SeedScenario.SeedAsync(o, dataDir);
            seeded.Report.Print(null);
            (prefix, users) = (seeded.UserPrefix, seeded.Users);
        }
        else (prefix, users) = (o.Text("user-prefix") ?? "seed", o.Int("users", 1000));

        try
        {
            await using var server = await ServerUnderTest.StartAsync(o, dataDir);
            var reader = (await Crowd.SignInAsync(server.Url, Crowd.NewPrefix("reader"), 1, 1))[0];
            using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reader.Token);
            var timeout = TimeSpan.FromSeconds(60);
            var first = await Crowd.OpenAsync(server.Url, reader.Token, null, 0, null, null, timeout);
            var lastId = first.LastId;
            await first.DisposeAsync();
            var random = new Random(7);
            var samples = o.Int("samples", 200);

            async Task Measure(string label, Func<Task> op)
            {
                for (var i = 0; i < 5; i++) await op(); // warm-up: JIT, pools, page cache
                var latency = new Histogram();
                for (var i = 0; i < samples; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await op();
                    latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                report.Add($"{label} p50 ms", latency.Percentile(50)).Add($"{label} p99 ms", latency.Percentile(99));
            }

            async Task Replay(long? since, int atLeast)
            {
                var client = await Crowd.OpenAsync(server.Url, reader.Token, since, 0, null, null, timeout);
                if (client.Replayed < atLeast) throw new InvalidOperationException($"replay of {client.Replayed} events, expected {atLeast}");
                await client.DisposeAsync();
            }

            async Task Get(string path, string? cookie = null)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                if (cookie is not null)
                {
                    request.Headers.Authorization = null;
                    request.Headers.Add("Cookie", cookie);
                }
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
                await response.Content.ReadAsByteArrayAsync();
            }

            await Measure("replay-50", () => Replay(null, Math.Min(50, (int)lastId)));
            // From 5,000 back, so the replay is the newest 1,000 visible events (truncated) even when earlier runs on this
            // data left join and part notices at the end, which a replay leaves out.
            await Measure("since-1000", () => Replay(Math.Max(0, lastId - 5000), (int)Math.Min(1000, lastId) - 50));
            await Measure("messages page", () => Get($"/api/messages?since={random.NextInt64(0, Math.Max(1, lastId - 100))}&limit=100"));
            await Measure("profile page", () => Get($"/profile/{prefix}{random.Next(users)}"));
            await Measure("first paint", () => Get("/", reader.Cookie));

            var dbBytes = Directory.GetFiles(dataDir, "chat.db*").Sum(f => new FileInfo(f).Length);
            report.Add("stored events (last id)", lastId).Add("database MiB", Report.Mib(dbBytes)).Add("server RSS MiB", Report.Mib(server.Rss()));
        }
        finally
        {
            if (ownsData) try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
        return report;
    }
}
