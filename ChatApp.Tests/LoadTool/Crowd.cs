using System.Net.Http.Json;
using System.Text.Json;

namespace ChatApp.LoadTool;

/// <summary>Signing many users in and opening many connections, with a cap on requests in flight and on opens per second.</summary>
public static class Crowd
{
    /// <summary>A name prefix of this run's own, so runs against one server never collide.</summary>
    public static string NewPrefix(string kind) => $"{kind}{Guid.NewGuid().ToString("N")[..6]}_";

    public sealed record Account(string Name, string Token, string Cookie);

    /// <summary>Signs <paramref name="users"/> names in; a SignalR hub has no sign-in: its "token" is the name, sent on connect.</summary>
    public static async Task<Account[]> SignInAsync(Uri server, string prefix, int users, int concurrency, bool signalR = false)
    {
        if (signalR) return [.. Enumerable.Range(0, users).Select(i => new Account($"{prefix}{i}", $"{prefix}{i}", ""))];
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = concurrency })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(120),
        };
        var accounts = new Account[users];
        await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var name = $"{prefix}{i}";
            using var response = await http.PostAsJsonAsync("/api/session", new { name }, ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"sign-in of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
            var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
                ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("chat_session=")) ?? ""
                : "";
            accounts[i] = new Account(name, token, cookie);
        });
        return accounts;
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections (connection i as user <c>userOf(i)</c>), at most
    /// <paramref name="concurrency"/> opening at once and <paramref name="perSecond"/> starting per second
    /// (0: no pacing), and waits until each has its roster. Each one's receive loop keeps running.
    /// </summary>
    public static async Task<ChatClient[]> ConnectAsync(Uri server, Account[] accounts, int count, Func<int, int> userOf,
        int concurrency, double perSecond, TimeSpan openTimeout, Func<int, UserSet?>? known = null,
        Action<ChatClient, long, long>? onMessage = null, long? since = null, Dialect dialect = Dialect.ChatApp)
    {
        var clients = new ChatClient[count];
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(concurrency);
        var opens = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            if (perSecond > 0)
            {
                var due = TimeSpan.FromSeconds(i / perSecond) - started.Elapsed;
                if (due > TimeSpan.FromMilliseconds(1)) await Task.Delay(due);
            }
            await gate.WaitAsync();
            var index = i;
            opens.Add(Task.Run(async () =>
            {
                try { clients[index] = await OpenAsync(server, accounts[userOf(index)].Token, since, userOf(index), known?.Invoke(index), onMessage, openTimeout, dialect); }
                finally { gate.Release(); }
            }));
        }
        await Task.WhenAll(opens);
        return clients;
    }

    /// <summary>One connection, retried when the server's listen queue overflows; returns once its roster (a hub: its handshake answer) has arrived.</summary>
    public static async Task<ChatClient> OpenAsync(Uri server, string token, long? since, int userIndex, UserSet? known,
        Action<ChatClient, long, long>? onMessage, TimeSpan timeout, Dialect dialect = Dialect.ChatApp)
    {
        using var cts = new CancellationTokenSource(timeout);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var client = await ChatClient.ConnectAsync(server, token, since, userIndex, known, onMessage, dialect, cts.Token);
                _ = client.RunAsync();
                await client.Ready.Task.WaitAsync(cts.Token);
                return client;
            }
            catch (Exception e) when (attempt < 5 && e is System.Net.Sockets.SocketException or IOException && !cts.IsCancellationRequested)
            {
                await Task.Delay(100 * attempt, cts.Token);
            }
        }
    }

    public static async Task CloseAllAsync(IEnumerable<ChatClient?> clients)
    {
        foreach (var c in clients)
            if (c is not null) await c.DisposeAsync();
    }
}
