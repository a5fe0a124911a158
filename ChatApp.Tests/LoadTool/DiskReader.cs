using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ChatApp.LoadTool;

/// <summary>
/// fanout's <c>--replayer 1</c>: one more user whose history lies below the room's memory (its private messages,
/// seeded before the run and pushed out by what follows), and who reads 1,000 of them from disk again and again
/// (<c>GET /api/messages?since=..&amp;limit=1000</c>, the same off-the-loop read a since replay makes) while the
/// others chat. Run with <c>--archive 1000</c> so the seed is small.
/// </summary>
public sealed class DiskReader : IAsyncDisposable
{
    public const int EventsPerRead = 1000;

    private readonly HttpClient _http;
    private readonly long _firstId, _lastSince;
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private long _reads, _events;

    private DiskReader(HttpClient http, long firstId, long lastSince)
    {
        _http = http;
        _firstId = firstId;
        _lastSince = lastSince;
    }

    /// <summary>Signs the reader in and stores <paramref name="seed"/> private messages to it from <paramref name="sender"/>.</summary>
    public static async Task<DiskReader> SeedAsync(Uri server, Crowd.Account sender, int seed, int archive)
    {
        var reader = (await Crowd.SignInAsync(server, Crowd.NewPrefix("diskreader"), 1, 1))[0];
        using var post = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        post.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", sender.Token);
        var ids = new ConcurrentBag<long>();
        await Parallel.ForEachAsync(Enumerable.Range(0, seed), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var response = await post.PostAsJsonAsync("/api/messages", new { text = $"history {i}", to = reader.Name }, ct);
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct)).GetProperty("id").GetInt64());
        });
        // Memory keeps up to 1.25 x the archive: reads start low enough to end below it even before the run adds more.
        var lastSince = ids.Max() - (long)(archive * 1.25) - EventsPerRead;
        if (lastSince < ids.Min()) throw new InvalidOperationException($"--replay-seed {seed} is too small for --archive {archive}: seed at least {(int)(archive * 1.25) + 2 * EventsPerRead}");
        var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", reader.Token);
        return new DiskReader(http, ids.Min(), lastSince);
    }

    public long Reads => Interlocked.Read(ref _reads);
    public long Events => Interlocked.Read(ref _events);

    /// <summary>Reads one page after another (<paramref name="pause"/> apart), from random points of the seeded history, until stopped.</summary>
    public void Start(TimeSpan pause)
    {
        var random = new Random(11);
        _running = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var since = random.NextInt64(_firstId - 1, _lastSince);
                var page = await _http.GetFromJsonAsync<System.Text.Json.JsonElement[]>($"/api/messages?since={since}&limit={EventsPerRead}", _stop.Token);
                Interlocked.Increment(ref _reads);
                Interlocked.Add(ref _events, page!.Length);
                if (pause > TimeSpan.Zero) await Task.Delay(pause, _stop.Token);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { if (_running is not null) await _running; }
        catch (OperationCanceledException) { }
        _http.Dispose();
    }
}
