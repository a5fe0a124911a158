using System.Diagnostics;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using ChatApp.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.LoadTool;

/// <summary>
/// seed: fills a data directory with a long history, written through the server's own <see cref="EventWriter"/>
/// (so the rate it reports is the persistence rate the room gets): messages among <c>--users</c> users, some
/// private, some join/part notices, and last a tail of join/part notices longer than the in-memory archive, as
/// a busy room leaves it, so that replays and first paints have to reach the disk.
/// </summary>
public static class SeedScenario
{
    private const int MaxQueued = 50_000;
    private static readonly string[] Words =
        ["the", "build", "is", "green", "again", "who", "broke", "main", "lunch", "at", "noon", "review", "my", "patch", "please",
         "ship", "it", "deploy", "friday", "never", "coffee", "meeting", "moved", "to", "three", "thanks", "looks", "good", "ok"];

    public static async Task<Report> RunAsync(Options o) => (await SeedAsync(o, o.Text("data") ?? throw new ArgumentException("seed needs --data DIR"))).Report;

    public sealed record Seeded(Report Report, string UserPrefix, int Users, long LastId);

    public static async Task<Seeded> SeedAsync(Options o, string dataDir)
    {
        var total = o.Int("events", 1_000_000);
        var users = o.Int("users", 1000);
        var tail = Math.Min(total, o.Int("notice-tail", 25_000));
        Directory.CreateDirectory(dataDir);
        var port = ServerUnderTest.FreePort();
        var app = ChatApplication.Build([$"--urls=http://127.0.0.1:{port}", $"--Chat:DataDir={dataDir}", "--Logging:LogLevel:Default=Warning",
            "--Chat:SignInLimit:Requests=100000000"]);
        await app.StartAsync();
        try
        {
            var prefix = o.Text("user-prefix") ?? "seed";
            await Crowd.SignInAsync(new Uri($"http://127.0.0.1:{port}"), prefix, users, 20);
            var room = app.Services.GetRequiredService<ChatRoom>();
            var writer = app.Services.GetRequiredService<EventWriter>();
            var metrics = app.Services.GetRequiredService<ChatMetrics>();
            var random = new Random(11);
            var firstId = room.LastId + 1;
            var storedBefore = metrics.EventsStored;
            var clock = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var ts = DateTime.UtcNow.AddSeconds(-total);
            long textBytes = 0;
            for (var i = 0; i < total; i++)
            {
                while (i - (metrics.EventsStored - storedBefore) > MaxQueued) await Task.Delay(5);
                var id = firstId + i;
                var user = $"{prefix}{random.Next(users)}";
                var roll = random.Next(100);
                ChatEvent e;
                if (i >= total - tail || roll < 4)
                {
                    var join = random.Next(2) == 0;
                    e = new ChatEvent { Id = id, Ts = ts, Kind = ChatEventKind.System, SystemEvent = join ? "join" : "part", User = user, Text = $"{user} {(join ? "joined" : "parted")}" };
                }
                else
                {
                    var text = Sentence(random);
                    e = new ChatEvent
                    {
                        Id = id, Ts = ts, Kind = ChatEventKind.Message, From = user, Text = text, Html = $"<p>{text}</p>\n", // as Markdig renders plain words
                        To = roll < 5 ? $"{prefix}{random.Next(users)}" : null,
                    };
                }
                textBytes += e.Text.Length;
                writer.Enqueue(e);
                ts = ts.AddSeconds(1);
            }
            while (metrics.EventsStored - storedBefore < total) await Task.Delay(5);
            var seconds = clock.Elapsed.TotalSeconds;
            // CPU of the whole process (this loop, the room and the writer): on a shared machine the rate follows the CPU it gets.
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var report = new Report("seed").Add("events", total).Add("users", users).Add("notice tail", tail)
                .Add("seconds", seconds).Add("events stored/s", total / seconds)
                .Add("CPU µs per event", cpu * 1e6 / total).Add("events/s per CPU second", total / cpu)
                .Add("last id", firstId + total - 1);
            await app.StopAsync();
            SqliteConnection.ClearAllPools();
            var dbBytes = Directory.GetFiles(dataDir, "chat.db*").Sum(f => new FileInfo(f).Length);
            report.Add("database MiB", Report.Mib(dbBytes)).Add("text MiB", Report.Mib(textBytes)).Add("database / text", (double)dbBytes / textBytes);
            return new Seeded(report, prefix, users, firstId + total - 1);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static string Sentence(Random random)
    {
        var words = new string[random.Next(6, 18)];
        for (var i = 0; i < words.Length; i++) words[i] = Words[random.Next(Words.Length)];
        return string.Join(' ', words);
    }
}
