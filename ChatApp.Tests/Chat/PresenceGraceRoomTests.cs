using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Chat;

/// <summary>The presence grace in the real room (PROTOCOL.md §2.1), its time from a fake clock.</summary>
public sealed class PresenceGraceRoomTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ChatServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ChatServer.StartAsync(new() { ["Chat:PresenceGraceSeconds"] = Grace.TotalSeconds.ToString() }, clock: _clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static bool IsPresence(JsonElement e, string user) =>
        TestSocket.Type(e) == "system" && e.Text("event") is "join" or "part" && e.Text("user") == user;

    [Fact]
    public async Task AReconnectWithinTheGraceIsSilentAndTheUserStaysListed()
    {
        await using var watcher = await _server.JoinAsync("watcher");
        var jim = await _server.JoinAsync("jim");
        await watcher.ExpectAsync("system", e => IsPresence(e, "jim"));
        await jim.DisposeAsync();

        await using var again = await _server.ConnectAsync(jim.Token!);
        Assert.Contains("jim", again.Roster.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        await watcher.SendJsonAsync(new { type = "message", text = "marker" });

        // Nothing about jim came before the marker, on either side; and no own join for the new connection.
        Assert.Equal("marker", (await watcher.NextAsync(e => IsPresence(e, "jim") || e.IsMessage())).Text("text"));
        Assert.Equal("marker", (await again.NextAsync(e => IsPresence(e, "jim") || e.IsMessage())).Text("text"));
        // Long after, still nothing: the grace was cancelled, not merely delayed.
        _clock.Advance(Grace * 10);
        await watcher.SendJsonAsync(new { type = "message", text = "second marker" });
        Assert.Equal("second marker", (await watcher.NextAsync(e => IsPresence(e, "jim") || e.IsMessage())).Text("text"));
        Assert.Equal(["jim", "watcher"], await _server.Service<ChatRoom>().RosterAsync().WaitAsync(ChatServer.Timeout));
    }

    [Fact]
    public async Task WithNobodyBackThePartComesWhenTheGraceRunsOut()
    {
        await using var watcher = await _server.JoinAsync("watcher");
        var jim = await _server.JoinAsync("jim");
        await watcher.ExpectAsync("system", e => IsPresence(e, "jim"));
        await jim.DisposeAsync();

        // The server notices the close on its own time: the clock steps on until the part comes (the wait is bounded).
        var parting = watcher.ExpectAsync("system", e => IsPresence(e, "jim"));
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (!parting.IsCompleted && DateTime.UtcNow < deadline)
        {
            _clock.Advance(Grace);
            await Task.WhenAny(parting, Task.Delay(50));
        }
        JsonElement? part = await parting;
        Assert.True(IsPresence(part.Value, "jim"));
        Assert.Equal("part", part.Value.Text("event"));
        Assert.Equal("jim left", part.Value.Text("text"));
        Assert.Equal(["watcher"], await _server.Service<ChatRoom>().RosterAsync().WaitAsync(ChatServer.Timeout));
    }
}
