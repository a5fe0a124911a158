using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

/// <summary>PROTOCOL.md §2.4 as docs/protocol.md reads it: the first fifty distinct names a message addresses are looked up, no more.</summary>
public sealed class MentionCapTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Forty-nine distinct names nobody claimed, each written twice (a repeat in another case is the same name).
    private static readonly string OthersTwice = string.Join(' ', Enumerable.Range(0, Mentions.MaxCandidates - 1).Select(i => $"@x{i} @X{i}"));

    [Fact]
    public async Task AClaimedNameIsAMentionAsTheFiftiethDistinctNameButNotAsTheFiftyFirstAndAnEditCountsTheSame()
    {
        await using var ann = await _server.JoinAsync("ann");
        await _server.SignInAsync("Bob");

        var fiftieth = $"{OthersTwice} @bob";
        await ann.SendJsonAsync(new { type = "message", text = fiftieth });
        Assert.Equal(["Bob"], MentionsOf(await ann.ExpectMessageAsync(fiftieth)));

        var fiftyFirst = $"{OthersTwice} @x{Mentions.MaxCandidates - 1} @bob";
        await ann.SendJsonAsync(new { type = "message", text = fiftyFirst });
        var beyond = await ann.ExpectMessageAsync(fiftyFirst);
        Assert.Empty(MentionsOf(beyond));

        await ann.SendJsonAsync(new { type = "edit", target = beyond.GetProperty("id").GetInt64(), text = fiftieth });
        Assert.Equal(["Bob"], MentionsOf(await ann.ExpectAsync("edit")));
    }

    private static List<string?> MentionsOf(JsonElement e) =>
        e.TryGetProperty("mentions", out var mentions) ? mentions.EnumerateArray().Select(m => m.GetString()).ToList() : [];
}
