using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>
/// Account lookups that reach Redis are awaited, never waited out on a thread: while Redis holds them, the node
/// serves everything that needs no Redis, and the names a message mentions are looked up together. Redis is held
/// by a <see cref="RedisLink"/> (commands wait, nothing fails); the nodes are processes, so a node that blocked its
/// threads would starve its own thread pool, not the test's.
/// </summary>
public sealed class ScaledAccountLookupTests
{
    // Far more than a node's thread pool has threads at first (one per core): blocking lookups would hold them all.
    private const int HeldRequests = 64;

    [Fact]
    public async Task WhileRedisHoldsManyUncachedSessionLookupsARequestWithACachedSessionIsAnsweredFirstAndTheHeldOnesSucceedAfter()
    {
        await using var chat = await ScaledChat.StartAsync(processes: true, throughLink: true);
        var cached = await chat.SignInAsync(0, "ann"); // issued by node 0: its memory holds the session and the name
        // Sessions node 0 has never seen: each request with one asks Redis for the session, then the name.
        var uncached = new List<string>();
        for (var i = 0; i < HeldRequests; i++) uncached.Add(await chat.SignInAsync(1, $"user{i}"));
        using var client = chat.Client(0);

        chat.Link!.Hold();
        var held = uncached.Select(token => RosterAsync(client, token)).ToList();
        await Eventually.ThatAsync(() => chat.Link.HeldCount("{chat}:session:") >= HeldRequests, "every request's session lookup has reached Redis");
        using var answered = await RosterAsync(client, cached).WaitAsync(ChatServer.Timeout);
        var stillWaiting = held.Count(request => !request.IsCompleted);
        chat.Link.Release();

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(HeldRequests, stillWaiting); // answered while every Redis-bound request was still waiting for Redis
        var answers = await Task.WhenAll(held).WaitAsync(ChatServer.Timeout);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        foreach (var answer in answers) answer.Dispose();
    }

    [Fact]
    public async Task AMessageMentioningManyNamesClaimedOnAnotherNodeLooksThemUpTogetherAndIsStoredOnceWithTheFirstFiftyResolved()
    {
        await using var chat = await ScaledChat.StartAsync(processes: true, throughLink: true);
        const int claimed = Mentions.MaxCandidates + 10;
        for (var i = 0; i < claimed; i++) await chat.SignInAsync(1, $"m{i}"); // node 0 knows none of them
        await using var ann = await chat.JoinAsync(0, "ann");
        // Spelled in capitals: each mention shows the name as claimed. "@nobody" comes after the cap: never looked up.
        var text = string.Join(' ', Enumerable.Range(0, claimed).Select(i => $"@M{i}")) + " @nobody";
        var expected = Enumerable.Range(0, Mentions.MaxCandidates).Select(i => $"m{i}").ToList();

        chat.Link!.Hold();
        await ann.SendJsonAsync(new { type = "message", text, clientId = "many" });
        // Looked up one after another, only the first lookup would ever reach Redis while it holds them.
        await Eventually.ThatAsync(() => chat.Link.HeldCount("HGETALL") >= Mentions.MaxCandidates, "every mentioned name's lookup has reached Redis");
        chat.Link.Release();

        var echo = await ann.ExpectMessageAsync(text);
        Assert.Equal(expected, MentionsOf(echo));
        using var reader = chat.Client(1, ann.Token);
        var stored = (await reader.GetFromJsonAsync<JsonElement>("/api/messages?since=0").WaitAsync(ChatServer.Timeout))
            .EnumerateArray().Where(e => e.Text() == text).ToList();
        Assert.Equal([echo.Id()], stored.Select(e => e.Id()));
        Assert.Equal(expected, MentionsOf(stored[0]));
    }

    [Fact]
    public async Task OfManyClaimsOfOneNameAndItsLookAlikesOnTwoNodesAtOnceExactlyOneWinsEverywhere()
    {
        await using var chat = await ScaledChat.StartAsync();
        string[] spellings = ["admin", "ADMIN", "\u0430dmin", "ａｄｍｉｎ", "ADM\u0399N"]; // Cyrillic а, fullwidth, Greek Ι
        var claims = Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = chat.Client(i % 2);
            using var response = await client.PostAsJsonAsync("/api/session", new { name = spellings[i % spellings.Length] });
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        });
        var answers = await Task.WhenAll(claims).WaitAsync(ChatServer.Timeout);

        var winner = Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(answer => answer.StatusCode != HttpStatusCode.OK), refused =>
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("name_taken", refused.Body.Text("error"));
        });
        var name = winner.Body.Text("name");
        foreach (var node in new[] { 0, 1 })
        {
            using var client = chat.Client(node, winner.Body.Text("token"));
            using var roster = await client.GetAsync("/api/roster").WaitAsync(ChatServer.Timeout);
            Assert.Equal(HttpStatusCode.OK, roster.StatusCode); // the winner's session holds on every node
            using var profile = await client.GetAsync($"/profile/{Uri.EscapeDataString(name!)}").WaitAsync(ChatServer.Timeout);
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }
    }

    [Fact]
    public async Task WhileRedisIsDownANameThisNodeDoesNotHoldRefusesTheMessageStorageUnavailableAndCachedSessionsStillWork()
    {
        await using var chat = await ScaledChat.StartAsync(processes: true);
        await chat.SignInAsync(1, "bob"); // claimed on node 1: node 0 would have to ask Redis
        await using var ann = await chat.JoinAsync(0, "ann");
        using var client = chat.Client(0, ann.Token);

        await chat.Redis.KillAsync();
        await ann.SendJsonAsync(new { type = "message", text = "hi @bob", clientId = "m1" });
        var refused = await ann.ExpectAsync("error");
        using var direct = await client.PostAsJsonAsync("/api/messages", new { text = "psst", to = "bob", clientId = "m2" }).WaitAsync(ChatServer.Timeout);
        using var roster = await client.GetAsync("/api/roster").WaitAsync(ChatServer.Timeout);

        Assert.Equal(("storage_unavailable", "m1"), (refused.Text("code"), refused.Text("clientId")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, direct.StatusCode);
        Assert.Equal("storage_unavailable", (await direct.Content.ReadFromJsonAsync<JsonElement>()).Text("error"));
        Assert.NotNull(direct.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, roster.StatusCode); // ann's session and name are in node 0's memory: no Redis needed
    }

    private static Task<HttpResponseMessage> RosterAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/roster");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static List<string> MentionsOf(JsonElement message) =>
        message.TryGetProperty("mentions", out var mentions) ? mentions.EnumerateArray().Select(m => m.GetString()!).ToList() : [];
}
