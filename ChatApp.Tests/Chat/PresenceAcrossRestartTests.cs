using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ChatApp.Tests.Chat;

/// <summary>
/// Presence outlives the process (Storage/OnlineUsers.cs): the users whose connections a restart or a crash closed are
/// listed again with the presence grace (PROTOCOL.md §2.1) running, so whoever reconnects in time does so silently and
/// whoever does not gets the part the stop never stored. Time from a fake clock.
/// </summary>
public sealed class PresenceAcrossRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ChatServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await ChatServer.StartAsync(new() { ["Chat:PresenceGraceSeconds"] = Grace.TotalSeconds.ToString() }, clock: _clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static bool IsPresence(JsonElement e) => TestSocket.Type(e) == "system" && e.Text("event") is "join" or "part";

    private static IEnumerable<string?> Users(JsonElement roster) => roster.GetProperty("users").EnumerateArray().Select(u => u.GetString());

    [Fact]
    public async Task AfterARestartWhoComesBackInTimeIsSilentAndWhoDoesNotGetsAPart()
    {
        var jim = await _server.JoinAsync("jim");
        var ann = await _server.JoinAsync("ann");
        await jim.ExpectAsync("system", e => IsPresence(e) && e.Text("user") == "ann");

        await _server.RestartAsync();
        jim.Abort();
        ann.Abort();
        await jim.DisposeAsync();
        await ann.DisposeAsync();

        // Both are listed again, in their grace; jim's return is silent, for him and for a newcomer.
        await using var newcomer = await _server.JoinAsync("newcomer");
        Assert.Equal(["ann", "jim", "newcomer"], Users(newcomer.Roster));
        // Its own join, stored, before jim is back: otherwise jim's new connection may get it live (a flake seen in CI).
        await newcomer.ExpectAsync("system", e => IsPresence(e) && e.Text("user") == "newcomer");
        await using var back = await _server.ConnectAsync(jim.Token!);
        Assert.Equal(["ann", "jim", "newcomer"], Users(back.Roster));
        await newcomer.SendJsonAsync(new { type = "message", text = "marker" });
        Assert.Equal("marker", (await back.NextAsync(e => IsPresence(e) || e.IsMessage())).Text("text"));
        Assert.Equal("marker", (await newcomer.NextAsync(e => IsPresence(e) && e.Text("user") != "newcomer" || e.IsMessage())).Text("text"));

        // ann does not come back: her part comes when the grace runs out (the clock steps on until it does; the wait is bounded).
        var parting = back.ExpectAsync("system", IsPresence);
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (!parting.IsCompleted && DateTime.UtcNow < deadline)
        {
            _clock.Advance(Grace);
            await Task.WhenAny(parting, Task.Delay(50));
        }
        var part = await parting;
        Assert.Equal(("part", "ann"), (part.Text("event"), part.Text("user")));
        Assert.Equal(["jim", "newcomer"], await _server.Service<ChatRoom>().RosterAsync().WaitAsync(ChatServer.Timeout));

        // The history has one join each and ann's part: no second join for jim, no part for him.
        using var http = _server.Client(jim.Token);
        Assert.Equal(["join jim", "join ann", "join newcomer", "part ann"],
            (await http.MessagesAsync("?since=0&limit=100")).Where(IsPresence).Select(e => $"{e.Text("event")} {e.Text("user")}"));

        // A second restart right away still knows who is online: jim and the newcomer, not ann.
        await _server.RestartAsync();
        await using var third = await _server.JoinAsync("third");
        Assert.Equal(["jim", "newcomer", "third"], Users(third.Roster));
    }

    [Fact]
    public async Task StartedWithoutAGraceTheServerPartsAtOnceEveryoneTheLastStopCutOff()
    {
        // Stopped inside jim's grace, so the stop stored no part; then started again on the same data with no grace.
        var jim = await _server.JoinAsync("jim");
        await _server.StopAsync();
        jim.Abort();
        await jim.DisposeAsync();
        await using var again = await ChatServer.StartAsync(new() { ["Chat:PresenceGraceSeconds"] = "0" }, dataDir: _server.DataDir);

        await using var ann = await again.JoinAsync("ann");
        Assert.Equal(["ann"], Users(ann.Roster));
        await ann.ExpectAsync("system", e => IsPresence(e) && e.Text("user") == "ann"); // stored, so in the history
        using var http = again.Client(ann.Token);
        Assert.Equal(["join jim", "part jim", "join ann"],
            (await http.MessagesAsync("?since=0&limit=100")).Where(IsPresence).Select(e => $"{e.Text("event")} {e.Text("user")}"));
    }
}
