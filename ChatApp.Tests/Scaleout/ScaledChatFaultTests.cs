using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>A scaled chat survives a killed node and a restarted Redis (issue 10, clauses 3 and 7).</summary>
public sealed class ScaledChatFaultTests
{
    [Fact]
    public async Task TheUsersOfAKilledNodePartOnTheSurvivorsWithoutAGhostLeft()
    {
        await using var chat = await ScaledChat.StartAsync(processes: true);
        await using var watcher = await chat.JoinAsync(0, "watcher");
        await using var ann = await chat.JoinAsync(1, "ann");
        await watcher.ExpectAsync("system", f => f.GetProperty("event").GetString() == "join" && f.GetProperty("user").GetString() == "ann");

        await chat.Process(1).KillAsync(); // kill -9: no part is sent by the node itself

        var part = await watcher.ExpectAsync("system", f => f.GetProperty("event").GetString() == "part", TimeSpan.FromSeconds(30));
        Assert.Equal("ann", part.GetProperty("user").GetString());
        using var client = chat.Client(0, watcher.Token);
        Assert.Equal(["watcher"], (await client.GetFromJsonAsync<JsonElement>("/api/roster")).GetProperty("users").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task AKilledNodeStartedAgainHasEverythingItMissedAndJoinsItsUsersOnce()
    {
        await using var chat = await ScaledChat.StartAsync(processes: true);
        await using var watcher = await chat.JoinAsync(0, "watcher");
        var token = await chat.SignInAsync(1, "ann");
        await using (var first = await chat.ConnectAsync(1, token))
        {
            await watcher.ExpectAsync("system", f => f.GetProperty("event").GetString() == "join");
            await chat.Process(1).KillAsync();
        }
        await watcher.ExpectAsync("system", f => f.GetProperty("event").GetString() == "part", TimeSpan.FromSeconds(30));
        // Enough that catching up takes a while: a node that served before it had caught up would replay too little.
        const int missed = 300;
        for (var i = 0; i < missed; i++) await watcher.SendJsonAsync(new { type = "message", text = $"while b was down {i}" });
        await watcher.ExpectMessageAsync($"while b was down {missed - 1}");

        await chat.Process(1).StartAgainAsync();
        await using var again = await chat.ConnectAsync(1, token, since: 0);
        await watcher.SendJsonAsync(new { type = "message", text = "marker" });

        var replayed = again.Replay.Select(f => f.Text()).ToList();
        Assert.Equal(Enumerable.Range(0, missed).Select(i => $"while b was down {i}"), replayed.Where(t => t?.StartsWith("while b was down") == true));
        var frames = await watcher.UntilAsync("marker");
        Assert.Equal(["join watcher", "join ann", "part ann", "join ann"], (await ReplayAllAsync(chat, 0, watcher.Token!)).Notices());
        Assert.DoesNotContain(frames.Notices(), n => n != "join ann");
    }

    [Fact]
    public async Task WhileRedisIsDownHealthzIs503AndSendsAreRefusedThenTheNodesReconnectAndNothingIsLostOrRepeated()
    {
        await using var chat = await ScaledChat.StartAsync(appendOnly: true, processes: true);
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        for (var i = 0; i < 3; i++) await ann.SendJsonAsync(new { type = "message", text = $"before {i}" });
        await bob.ExpectMessageAsync("before 2");

        await chat.Redis.KillAsync();
        using var health = chat.Client(0);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await health.GetAsync("/healthz")).StatusCode);
        await ann.SendJsonAsync(new { type = "message", text = "during", clientId = "d1" });
        var refused = await ann.ExpectAsync("error");
        Assert.Equal("storage_unavailable", refused.GetProperty("code").GetString());
        Assert.Equal("d1", refused.GetProperty("clientId").GetString());
        // A sign-in cannot be stored either: a 503 the client may retry, not a 500.
        var signIn = await health.PostAsJsonAsync("/api/session", new { name = "carol" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.StatusCode);
        Assert.Equal("storage_unavailable", (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.NotNull(signIn.Headers.RetryAfter);

        await chat.Redis.StartAgainAsync();
        await ann.SendJsonAsync(new { type = "message", text = "after" }); // may be refused until the node has reconnected
        await EventuallyOkAsync(health);
        await RetrySendAsync(ann, "after 2");
        var frames = await bob.UntilAsync("after 2");

        var texts = frames.Where(f => TestSocket.Type(f) == "message").Select(f => f.Text()).ToList();
        Assert.DoesNotContain("during", texts);
        Assert.Equal(texts.Distinct(), texts);
        var history = (await ReplayAllAsync(chat, 1, bob.Token!)).Where(f => TestSocket.Type(f) == "message").Select(f => f.Text()).ToList();
        Assert.Equal(["before 0", "before 1", "before 2"], history.Take(3));
        Assert.Equal(history.Distinct(), history);
    }

    [Fact]
    public async Task ARedisRestartedWithoutItsDataNeverReusesAnIdTheNodesHaveSeen()
    {
        await using var chat = await ScaledChat.StartAsync(appendOnly: false, processes: true);
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        await ann.SendJsonAsync(new { type = "message", text = "before" });
        var before = (await bob.ExpectMessageAsync("before")).Id();

        await chat.Redis.RestartAsync();
        using var health = chat.Client(1);
        await EventuallyOkAsync(health);
        await RetrySendAsync(bob, "after");
        var after = (await ann.ExpectMessageAsync("after")).Id();

        Assert.True(after > before, $"{after} after {before}");
    }

    [Fact]
    public async Task AfterEveryNodeStopsAndRedisComesBackEmptyNewIdsAreAboveEveryStoredIdAndASinceResumeMissesNothing()
    {
        await using var chat = await ScaledChat.StartAsync(appendOnly: false);
        await using (var ann = await chat.JoinAsync(0, "ann"))
        await using (var bob = await chat.JoinAsync(1, "bob"))
        {
            for (var i = 0; i < 3; i++) await ann.SendJsonAsync(new { type = "message", text = $"before {i}" });
            await bob.SendJsonAsync(new { type = "message", text = "before end" });
            await ann.ExpectMessageAsync("before end");
            await bob.ExpectMessageAsync("before end");
        }
        var stored = new List<long>();
        for (var node = 0; node < 2; node++)
        {
            using var client = chat.Client(node, await chat.SignInAsync(node, $"reader{node}"));
            stored.AddRange((await client.GetFromJsonAsync<JsonElement>("/api/messages?since=0")).EnumerateArray().Select(f => f.Id()));
        }
        var newestStored = stored.Max();

        foreach (var node in chat.Nodes.Cast<ChatServer>()) await node.StopAsync();
        await chat.Redis.RestartAsync(); // no AOF: the sequence, the log, presence and accounts are gone
        foreach (var node in chat.Nodes.Cast<ChatServer>()) await node.StartAgainAsync(); // same port and data directory

        var catToken = await chat.SignInAsync(1, "cat"); // a name of its own: Redis no longer knows the old ones
        await using var cat = await chat.ConnectAsync(1, catToken);
        await using var dan = await chat.JoinAsync(0, "dan");
        await cat.SendJsonAsync(new { type = "message", text = "after 1" });
        var first = (await cat.ExpectMessageAsync("after 1")).Id();
        await dan.SendJsonAsync(new { type = "message", text = "after 2" });
        var after = new[] { first, (await cat.ExpectMessageAsync("after 2")).Id() };
        // dan's echo: node 0 has applied its own append too (cat on node 1 can see it first; seen once in a full run).
        await dan.ExpectMessageAsync("after 2");

        Assert.All(after, id => Assert.True(id > newestStored, $"{id} reuses an id at or below {newestStored}"));
        foreach (var node in new[] { 0, 1 })
        {
            await using var resumed = await chat.ConnectAsync(node, catToken, since: newestStored);
            Assert.Equal(["after 1", "after 2"], resumed.Replay.Where(f => TestSocket.Type(f) == "message").Select(f => f.Text()));
            Assert.Equal(resumed.Replay.Select(f => f.Id()).Order(), resumed.Replay.Select(f => f.Id()));
        }
    }

    [Fact]
    public async Task ScriptsRunByTheirHashAndAfterRedisComesBackEmptyTheNextSendIsStored()
    {
        await using var chat = await ScaledChat.StartAsync(appendOnly: false, processes: true);
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        await ann.SendJsonAsync(new { type = "message", text = "before" });
        await bob.ExpectMessageAsync("before");

        await chat.Redis.RestartAsync(); // the script cache is empty now: the next EVALSHA of each script answers NOSCRIPT
        using var health = chat.Client(1);
        await EventuallyOkAsync(health);
        await bob.SendJsonAsync(new { type = "message", text = "after", clientId = "a1" });
        var echo = await bob.ExpectAsync("message", f => f.Text() == "after" || f.TryGetProperty("code", out _));
        Assert.Equal("after", echo.Text());
        await ann.ExpectMessageAsync("after");

        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(chat.Redis.ConnectionString + ",allowAdmin=true");
        var stats = (await redis.GetServers().Single().InfoAsync("commandstats")).SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value);
        Assert.True(stats.ContainsKey("cmdstat_evalsha"), string.Join(", ", stats.Keys));
        Assert.False(stats.ContainsKey("cmdstat_eval"), "a script was sent as text (EVAL)");
        Assert.True(stats.ContainsKey("cmdstat_script|load"), string.Join(", ", stats.Keys));
    }

    /// <summary>Every visible event on a node, paged with GET /api/messages.</summary>
    private static async Task<List<JsonElement>> ReplayAllAsync(ScaledChat chat, int node, string token)
    {
        using var client = chat.Client(node, token);
        return (await client.GetFromJsonAsync<JsonElement>("/api/messages?since=0")).EnumerateArray().ToList();
    }

    private static async Task EventuallyOkAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while ((await client.GetAsync("/healthz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "/healthz did not recover");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends until the echo comes (a refusal means the node had not reconnected yet).</summary>
    private static async Task RetrySendAsync(TestSocket socket, string text)
    {
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (true)
        {
            await socket.SendJsonAsync(new { type = "message", text, clientId = text });
            var answer = await socket.ExpectAsync("message", f => f.Text() == text, TimeSpan.FromSeconds(2)).ContinueWith(t => t.IsCompletedSuccessfully);
            if (answer) return;
            Assert.True(DateTime.UtcNow < deadline, $"'{text}' was never stored");
        }
    }
}
