using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>
/// With Chat:Redis every node stores every event in its own SQLite through its own writer, which keeps the profile's
/// counts there too: each node counts the same, and a name claimed again on one node counts from its new owner's start
/// on every node (the others move their count there when asked from the new owner's id).
/// </summary>
public sealed class ScaledProfileCountTests
{
    [Fact]
    public async Task EveryNodeCountsTheSameAndANameClaimedAgainOnOneNodeStartsAtZeroOnEvery()
    {
        // A password-less name is released as soon as its owner is not here: any later claim makes a new owner.
        await using var chat = await ScaledChat.StartAsync(settings: "--Chat:NameReleaseDays=0");
        await using var bob = await chat.JoinAsync(1, "bob");
        await using (var jim = await chat.JoinAsync(0, "jim"))
        {
            await jim.SendJsonAsync(new { type = "message", text = "one" });
            await jim.SendJsonAsync(new { type = "message", text = "two" });
            await jim.SendJsonAsync(new { type = "message", text = "for bob", to = "bob" });
            await jim.ExpectMessageAsync("for bob"); // stored on node 0
            await bob.ExpectMessageAsync("for bob"); // and on node 1
        }
        Assert.Equal(2, await chat[0].PublicMessagesOnProfileAsync("jim"));
        Assert.Equal(2, await chat[1].PublicMessagesOnProfileAsync("jim"));

        var newJim = await chat.JoinAsync(1, "jim"); // a newcomer on the other node
        await using (newJim)
        {
            Assert.Equal(0, await chat[1].PublicMessagesOnProfileAsync("jim"));
            // Node 0 hears of the claim and reads the new owner's account: its count starts over there too.
            await Eventually.ThatAsync(async () => await chat[0].PublicMessagesOnProfileAsync("jim") == 0, "node 0 counts from the new owner's start");

            await newJim.SendJsonAsync(new { type = "message", text = "the new jim" });
            await bob.ExpectMessageAsync("the new jim");
        }
        Assert.Equal(1, await chat[1].PublicMessagesOnProfileAsync("jim"));
        await Eventually.ThatAsync(async () => await chat[0].PublicMessagesOnProfileAsync("jim") == 1, "node 0 stores and counts the new jim's message");
    }
}
