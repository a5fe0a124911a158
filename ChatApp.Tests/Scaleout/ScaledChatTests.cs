using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>Two or three real server processes over one real redis-server are one chat (issue 10, clauses 1–6).</summary>
public sealed class ScaledChatTests
{
    [Fact]
    public async Task MessagesFromEveryNodeReachEveryConnectionOnEveryNodeOnceInOneIdOrder()
    {
        await using var chat = await ScaledChat.StartAsync(nodes: 3);
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        await using var cat = await chat.JoinAsync(2, "cat");

        var sends = new List<Task>();
        for (var i = 0; i < 20; i++)
        {
            sends.Add(ann.SendJsonAsync(new { type = "message", text = $"ann {i}" }));
            sends.Add(bob.SendJsonAsync(new { type = "message", text = $"bob {i}" }));
            sends.Add(cat.SendJsonAsync(new { type = "message", text = $"cat {i}" }));
        }
        await Task.WhenAll(sends);
        // Each user's sends keep their order, so once a stream has all three ends it has everything before them.
        foreach (var (socket, name) in new[] { (ann, "ann"), (bob, "bob"), (cat, "cat") })
            await socket.SendJsonAsync(new { type = "message", text = $"end {name}" });

        var seen = new List<List<JsonElement>>();
        foreach (var socket in new[] { ann, bob, cat })
            seen.Add((await socket.UntilAllAsync("end ann", "end bob", "end cat")).Where(f => TestSocket.Type(f) == "message").ToList());
        foreach (var stream in seen)
        {
            Assert.Equal(63, stream.Count);
            Assert.Equal(stream.Select(f => f.Id()).Order(), stream.Select(f => f.Id()));
            Assert.Equal(63, stream.Select(f => f.Id()).Distinct().Count());
            Assert.Equal(seen[0].Select(f => (f.Id(), f.Text())), stream.Select(f => (f.Id(), f.Text())));
        }
    }

    [Fact]
    public async Task APostOverHttpOnOneNodeReachesALongPollAndASocketOnAnother()
    {
        await using var chat = await ScaledChat.StartAsync();
        var ann = await chat.SignInAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        using var poller = chat.Client(1, bob.Token);
        // After bob's own join, so the long poll's first event is the message.
        var since = (await bob.ExpectAsync("system", f => f.GetProperty("user").GetString() == "bob")).Id();
        var poll = poller.GetFromJsonAsync<JsonElement>($"/api/messages?since={since}&wait=10");

        using var poster = chat.Client(0, ann);
        var posted = await poster.PostAsJsonAsync("/api/messages", new { text = "over http", clientId = "h1" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var stored = await posted.Content.ReadFromJsonAsync<JsonElement>();

        var live = await bob.ExpectMessageAsync("over http");
        var polled = (await poll.WaitAsync(ChatServer.Timeout)).EnumerateArray().Single(f => TestSocket.Type(f) == "message");
        Assert.Equal(stored.Id(), live.Id());
        Assert.Equal(stored.Id(), polled.Id());
    }

    [Fact]
    public async Task AReconnectToAnotherNodeWithSinceMissesNothingAndSeesNothingTwice()
    {
        await using var chat = await ScaledChat.StartAsync();
        var token = await chat.SignInAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        var ann = await chat.ConnectAsync(0, token);
        await bob.SendJsonAsync(new { type = "message", text = "seen on a" });
        var last = (await ann.ExpectMessageAsync("seen on a")).Id();
        await ann.DisposeAsync();

        for (var i = 0; i < 5; i++) await bob.SendJsonAsync(new { type = "message", text = $"while away {i}" });
        await bob.ExpectMessageAsync("while away 4");
        await using var again = await chat.ConnectAsync(1, token, since: last);

        var replayed = again.Replay.Where(f => TestSocket.Type(f) == "message").Select(f => f.Text()).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"while away {i}"), replayed);
    }

    [Fact]
    public async Task ALateJoinerOnAnyNodeReplaysTheSameHistoryAndPagesTheSame()
    {
        await using var chat = await ScaledChat.StartAsync(settings: "--Chat:ReplayCount=5");
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var watcher = await chat.JoinAsync(1, "dan");
        for (var i = 0; i < 8; i++) await ann.SendJsonAsync(new { type = "message", text = $"m{i}" });
        await ann.ExpectMessageAsync("m7");
        // Node 1 applies the shared log on its own time: a replay there holds what it has applied when the socket joins.
        await watcher.ExpectMessageAsync("m7");

        await using var onA = await chat.JoinAsync(0, "bob");
        await using var onB = await chat.JoinAsync(1, "cat");
        Assert.Equal(["m3", "m4", "m5", "m6", "m7"], onB.Replay.Select(f => f.Text()));
        Assert.Equal(onA.Replay.Select(f => f.Id()), onB.Replay.Select(f => f.Id()));

        using var a = chat.Client(0, onA.Token);
        using var b = chat.Client(1, onB.Token);
        var pageA = (await a.GetStringAsync("/api/messages?since=0&limit=4"));
        var pageB = (await b.GetStringAsync("/api/messages?since=0&limit=4"));
        Assert.Equal(pageA, pageB);
    }

    [Fact]
    public async Task ANameClaimedOnOneNodeIsTakenOnTheOtherAndItsTokenAndCookieWorkOnEvery()
    {
        await using var chat = await ScaledChat.StartAsync();
        using var claim = chat.Client(0);
        var claimed = await claim.PostAsJsonAsync("/api/session", new { name = "Jim", password = "secret-1" });
        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        var token = (await claimed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var cookie = claimed.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chat_session=")).Split(';')[0];

        using var other = chat.Client(1);
        Assert.Equal(HttpStatusCode.Conflict, (await other.PostAsJsonAsync("/api/session", new { name = "jim" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await other.PostAsJsonAsync("/api/session", new { name = "jіm" })).StatusCode); // Cyrillic і
        var withPassword = await other.PostAsJsonAsync("/api/session", new { name = "jim", password = "secret-1" });
        Assert.Equal(HttpStatusCode.OK, withPassword.StatusCode);
        var secondDevice = (await withPassword.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        using var byToken = chat.Client(1, token);
        Assert.Equal(HttpStatusCode.OK, (await byToken.GetAsync("/api/messages?since=0")).StatusCode);
        using var byCookie = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = chat[1].BaseAddress, Timeout = ChatServer.Timeout };
        byCookie.DefaultRequestHeaders.Add("Cookie", cookie);
        var page = await byCookie.GetAsync("/");
        Assert.Contains("Jim", await page.Content.ReadAsStringAsync());
        await using var socket = await chat.ConnectAsync(1, token);
        Assert.Equal("Jim", socket.Welcome.GetProperty("user").GetString());

        // Signing out on node 1 ends that session on node 0 too; the other device stays signed in.
        using var signOut = chat.Client(1, secondDevice);
        Assert.True((await signOut.DeleteAsync("/api/session")).IsSuccessStatusCode);
        using var ended = chat.Client(0, secondDevice);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ended.GetAsync("/api/messages?since=0")).StatusCode);
        using var still = chat.Client(0, token);
        Assert.Equal(HttpStatusCode.OK, (await still.GetAsync("/api/messages?since=0")).StatusCode);
    }

    [Fact]
    public async Task ASessionSignedOutOnOneNodeEndsOnAnotherThatHeldIt()
    {
        await using var chat = await ScaledChat.StartAsync();
        var kept = await chat.SignInAsync(0, "ann", "secret-1");
        var ended = await chat.SignInAsync(0, "ann", "secret-1");
        // Node 1 reads both sessions from Redis, and holds them from here.
        using var keptOnOne = chat.Client(1, kept);
        using var endedOnOne = chat.Client(1, ended);
        Assert.Equal(HttpStatusCode.OK, (await keptOnOne.GetAsync("/api/roster")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await endedOnOne.GetAsync("/api/roster")).StatusCode);

        // Node 0 announces the sign-out on the accounts channel: node 1 drops its copy and asks Redis again.
        using var endedOnZero = chat.Client(0, ended);
        Assert.Equal(HttpStatusCode.NoContent, (await endedOnZero.DeleteAsync("/api/session")).StatusCode);
        await Eventually.ThatAsync(async () => (await endedOnOne.GetAsync("/api/roster")).StatusCode == HttpStatusCode.Unauthorized,
            "node 1 refuses the session signed out on node 0");
        Assert.Equal(HttpStatusCode.OK, (await keptOnOne.GetAsync("/api/roster")).StatusCode);
    }

    [Fact]
    public async Task AUserOnTwoNodesJoinsOnceIsListedOnceEverywhereAndPartsWhenTheLastConnectionCloses()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var watcher = await chat.JoinAsync(1, "watcher");
        var token = await chat.SignInAsync(0, "ann");
        var onA = await chat.ConnectAsync(0, token);
        var onB = await chat.ConnectAsync(1, token);
        await watcher.SendJsonAsync(new { type = "message", text = "both open" });
        Assert.Equal(["join ann"], (await watcher.UntilAsync("both open")).Notices().Where(n => n.EndsWith(" ann")));

        using var a = chat.Client(0, watcher.Token);
        using var b = chat.Client(1, watcher.Token);
        Assert.Equal(["ann", "watcher"], await RosterAsync(a));
        Assert.Equal(["ann", "watcher"], await RosterAsync(b));

        await onA.CloseAsync();
        await onB.CloseAsync();
        var untilPart = new List<JsonElement>();
        do untilPart.Add(await watcher.ExpectAsync("system"));
        while (untilPart[^1].GetProperty("event").GetString() != "part");
        await watcher.SendJsonAsync(new { type = "message", text = "both closed" });
        var rest = await watcher.UntilAsync("both closed");
        // Node 0 has applied everything up to the marker (and so the part) once its long poll answers with it.
        using var poll = chat.Client(0, watcher.Token);
        await poll.GetStringAsync($"/api/messages?since={rest[^1].Id() - 1}&wait=10");

        await onA.DisposeAsync();
        await onB.DisposeAsync();
        Assert.Equal(["part ann"], untilPart.Concat(rest).Notices());
        Assert.Equal(["watcher"], await RosterAsync(a));
        Assert.Equal(["watcher"], await RosterAsync(b));
    }

    private static async Task<List<string?>> RosterAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/roster")).GetProperty("users").EnumerateArray().Select(u => u.GetString()).ToList();

    [Fact]
    public async Task TheRateLimitAndClientIdHoldPerUserAcrossNodes()
    {
        await using var chat = await ScaledChat.StartAsync(settings: ["--Chat:RateLimit:Messages=3", "--Chat:RateLimit:PerSeconds=60"]);
        var token = await chat.SignInAsync(0, "ann");
        await using var onA = await chat.ConnectAsync(0, token);
        await using var onB = await chat.ConnectAsync(1, token);

        await onA.SendJsonAsync(new { type = "message", text = "first", clientId = "c1" });
        var first = await onA.ExpectMessageAsync("first");
        await onB.SendJsonAsync(new { type = "message", text = "first", clientId = "c1" });
        var echoed = await onB.ExpectAsync("message", f => f.TryGetProperty("clientId", out var c) && c.GetString() == "c1");
        Assert.Equal(first.Id(), echoed.Id());

        await onB.SendJsonAsync(new { type = "message", text = "second" });
        await onA.SendJsonAsync(new { type = "message", text = "third" });
        await onB.ExpectMessageAsync("third");
        await onB.SendJsonAsync(new { type = "message", text = "fourth", clientId = "c4" });
        var refused = await onB.ExpectAsync("error");
        Assert.Equal("rate_limited", refused.GetProperty("code").GetString());
        Assert.Equal("c4", refused.GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task AFileSharedOnOneNodeArrivesAsBytesOnTheOtherAndItsUrlWorksThere()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var ann = await chat.JoinAsync(0, "ann");
        await using var bob = await chat.JoinAsync(1, "bob");
        var bytes = FileSharing.RandomBytes(70_000);

        await ann.SendFileAsync("data.bin", "application/octet-stream", bytes);
        var (file, received) = await bob.ReceiveFileAsync("data.bin");

        Assert.True(file.GetProperty("binary").GetBoolean());
        Assert.Equal(FileSharing.Sha256(bytes), FileSharing.Sha256(received!));
        using var b = chat.Client(1, bob.Token);
        var download = await b.GetByteArrayAsync(file.GetProperty("url").GetString());
        Assert.Equal(FileSharing.Sha256(bytes), FileSharing.Sha256(download));
    }
}
