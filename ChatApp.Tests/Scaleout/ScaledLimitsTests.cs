using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Accounts;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>
/// One set of limits across nodes (issue 10, clause 4): sign-ins per address, wrong passwords per name, repeat
/// profile visits and clientIds count the same whichever node is asked. Across processes time is not faked, so
/// each test counts to a limit and one past it, within windows far longer than the test.
/// </summary>
public sealed class ScaledLimitsTests
{
    [Fact]
    public async Task SignInsFromOneAddressCountOnceAcrossNodes()
    {
        await using var chat = await ScaledChat.StartAsync(settings: ["--Chat:SignInLimit:Requests=3", "--Chat:SignInLimit:PerSeconds=3600"]);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(chat, 0, "one")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(chat, 1, "two")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(chat, 0, "three")).StatusCode);

        foreach (var node in new[] { 1, 0 })
        {
            using var refused = await ClaimAsync(chat, node, $"four{node}");
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("rate_limited", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
            Assert.True(int.TryParse(refused.Headers.GetValues("Retry-After").Single(), out var seconds) && seconds is > 0 and <= 3600);
        }
        using var client = chat.Client(0);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/profile/four1")).StatusCode); // refused claims claimed nothing
    }

    [Fact]
    public async Task WrongPasswordsOnOneNodeSlowTheNextAttemptsOnTheOther()
    {
        await using var chat = await ScaledChat.StartAsync();
        using (var claim = await ClaimAsync(chat, 0, "jim", "right-password")) Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        // The free failures and the first that starts a wait, all on node 0.
        for (var i = 0; i <= PasswordBackoff.FreeFailures; i++)
        {
            using var wrong = await ClaimAsync(chat, 0, "jim", "wrong");
            Assert.Equal(HttpStatusCode.Conflict, wrong.StatusCode);
        }

        // Alone, node 1 would answer FreeFailures + 1 wrong attempts with 409 before its first 429. Counted with node 0's,
        // it waits at once; only a machine slower than each doubling wait (1 s, 2 s, 4 s, ...) lets one through first.
        var conflictsFirst = 0;
        HttpResponseMessage answer;
        while ((answer = await ClaimAsync(chat, 1, "jim", "wrong")).StatusCode == HttpStatusCode.Conflict)
        {
            answer.Dispose();
            Assert.True(++conflictsFirst <= PasswordBackoff.FreeFailures, "node 1 did not count node 0's wrong passwords");
        }
        using (answer)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
            Assert.True(answer.Headers.Contains("Retry-After"));
        }
        Assert.True(conflictsFirst < PasswordBackoff.FreeFailures, $"{conflictsFirst} wrong passwords went through on node 1");
    }

    [Fact]
    public async Task RepeatProfileVisitsFromOneAddressOnTwoNodesMakeOneNotice()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var jim = await chat.JoinAsync(0, "jim");
        using var visitorOnA = chat.Client(0);
        using var visitorOnB = chat.Client(1);

        Assert.Equal(HttpStatusCode.OK, (await visitorOnB.GetAsync("/profile/jim")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitorOnA.GetAsync("/profile/jim")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await visitorOnB.GetAsync("/profile/JIM")).StatusCode);
        await jim.SendJsonAsync(new { type = "message", text = "marker" });

        var notices = (await jim.UntilAsync("marker")).Where(f => f.IsProfileNotice()).ToList();
        Assert.Single(notices);
        Assert.Equal("jim, someone from 127.0.0.1 checked out your profile", notices[0].Text());
    }

    [Fact]
    public async Task AClientIdRepeatedOverHttpOnAnotherNodeAnswersTheStoredEventAndTheRateLimitCountsBothNodes()
    {
        await using var chat = await ScaledChat.StartAsync(settings: ["--Chat:RateLimit:Messages=2", "--Chat:RateLimit:PerSeconds=3600"]);
        var token = await chat.SignInAsync(0, "ann");
        using var onA = chat.Client(0, token);
        using var onB = chat.Client(1, token);

        using var first = await onA.PostAsJsonAsync("/api/messages", new { text = "once", clientId = "c1" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var repeat = await onB.PostAsJsonAsync("/api/messages", new { text = "once", clientId = "c1" });
        Assert.True(repeat.IsSuccessStatusCode, $"{(int)repeat.StatusCode}");
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).Id(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).Id());

        using var second = await onB.PostAsJsonAsync("/api/messages", new { text = "twice" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        using var third = await onA.PostAsJsonAsync("/api/messages", new { text = "three times" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("rate_limited", (await third.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    private static async Task<HttpResponseMessage> ClaimAsync(ScaledChat chat, int node, string name, string? password = null)
    {
        using var client = chat.Client(node);
        return await client.PostAsJsonAsync("/api/session", new { name, password });
    }
}
