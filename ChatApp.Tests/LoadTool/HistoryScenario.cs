using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ChatApp.LoadTool;

/// <summary>
/// history: a long history on disk (seeded, default 1,000,000 events, or <c>--data DIR</c> seeded before), then
/// the reads that touch it, one at a time, each timed <c>--samples</c> times: a new connection's replay of the
/// last 50, a since replay of 1,000, <c>GET /api/messages</c> paging from random points, the profile page and the
/// chat page's first paint, which lists the users the seed left online (held there for the whole run).
/// </summary>
/// <remarks>
/// Each read is first run <c>--warmup-ops</c> times untimed (default 100). The runtime compiles a method quickly
/// first and again, optimized, once it is hot: with a warm-up of 5, a <c>dotnet-trace</c> of the paging read showed
/// 360 ms of recompiling (about 800 methods) in one half second, on the server's only core, while the 300 timed reads
/// ran; the third-slowest of them (the p99) measured that, not the read. A <c>--data</c> directory is copied first:
/// every run adds join and part notices and, with each profile visit, a private notice for the visited user, and
/// enough of those put the newest talk out of the room's memory, so that a later run would time other reads.
/// </remarks>
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
        else
        {
            (prefix, users) = (o.Text("user-prefix") ?? "seed", o.Int("users", 1000));
            var copy = Path.Combine(Path.GetTempPath(), "chatapp-load", Guid.NewGuid().ToString("N"));
            CopyDirectory(dataDir, copy);
            (dataDir, ownsData) = (copy, true);
        }

        try
        {
            // The seed leaves users online, and presence is kept across restarts: the page lists them. Without a long
            // grace they would all leave 5 s after the start, partway through the run, and the first paint would time
            // an empty list or a full one depending on how fast the reads before it went.
            await using var server = await ServerUnderTest.StartAsync(o, dataDir, new Dictionary<string, string> { ["Chat__PresenceGraceSeconds"] = "86400" });
            var reader = (await Crowd.SignInAsync(server.Url, Crowd.NewPrefix("reader"), 1, 1))[0];
            using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reader.Token);
            var timeout = TimeSpan.FromSeconds(60);
            var first = await Crowd.OpenAsync(server.Url, reader.Token, null, 0, null, null, timeout);
            var lastId = first.LastId;
            await first.DisposeAsync();
            var random = new Random(7);
            var samples = o.Int("samples", 200);

            var only = o.Text("only");
            var warmup = o.Int("warmup-ops", 100);
            async Task Measure(string label, Func<Task> op)
            {
                if (only is not null && only != label) return;
                for (var i = 0; i < warmup; i++) await op(); // warm-up: the JIT's optimized code, pools, page cache
                var latency = new Histogram();
                for (var i = 0; i < samples; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await op();
                    latency.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                report.Add($"{label} p50 ms", latency.Percentile(50)).Add($"{label} p99 ms", latency.Percentile(99));
            }

            async Task<int> Replay(long? since, int atLeast)
            {
                var client = await Crowd.OpenAsync(server.Url, reader.Token, since, 0, null, null, timeout);
                var replayed = client.Replayed;
                await client.DisposeAsync();
                if (replayed < atLeast) throw new InvalidOperationException($"replay of {replayed} events, expected {atLeast}");
                return replayed;
            }

            // A since far enough back for a full replay of 1,000 (truncated): join and part notices, which a replay
            // leaves out, may make up the newest thousands of events.
            var since = lastId;
            for (var back = 5000L; ; back *= 2)
            {
                since = Math.Max(0, lastId - back);
                if (since == 0 || await Replay(since, 0) >= Math.Min(1000, lastId) - 50) break;
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

            async Task<int> OnlineAsync()
            {
                using var roster = JsonDocument.Parse(await http.GetStringAsync("/api/roster"));
                return roster.RootElement.GetProperty("users").GetArrayLength();
            }

            await Measure("replay-50", () => Replay(null, Math.Min(50, (int)lastId)));
            await Measure("since-1000", () => Replay(since, (int)Math.Min(1000, lastId) - 50));
            await Measure("messages page", () => Get($"/api/messages?since={random.NextInt64(0, Math.Max(1, lastId - 100))}&limit=100"));
            await Measure("profile page", () => Get($"/profile/{prefix}{random.Next(users)}"));
            await Measure("first paint", () => Get("/", reader.Cookie));
            report.Add("first paint: users online", await OnlineAsync());

            var dbBytes = Directory.GetFiles(dataDir, "chat.db*").Sum(f => new FileInfo(f).Length);
            report.Add("stored events (last id)", lastId).Add("database MiB", Report.Mib(dbBytes)).Add("server RSS MiB", Report.Mib(server.Rss()));
        }
        finally
        {
            if (ownsData) try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
        return report;
    }

    private static void CopyDirectory(string from, string to)
    {
        if (!File.Exists(Path.Combine(from, "chat.db"))) throw new ArgumentException($"--data {from}: no chat.db there (seed it with: seed --data {from})");
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
