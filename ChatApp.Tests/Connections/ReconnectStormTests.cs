using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Connections;

public sealed class ReconnectStormTests
{
    [Fact]
    public async Task ThreeHundredClientsConnectingAtOnceAfterARestartEachGetWelcomeReplayRosterAndTheJoinsThatFollow()
    {
        const int clients = 300;
        await using var server = await ChatServer.StartAsync(new() { ["Chat:SignInLimit:Requests"] = "100000" });
        var tokens = new string[clients];
        for (var i = 0; i < clients; i += 50)
            await Task.WhenAll(Enumerable.Range(i, 50).Select(async n => tokens[n] = await server.SignInAsync($"storm{n}")));
        using (var ann = server.Client(tokens[0]))
            await ann.PostJsonAsync("/api/messages", new { text = "before the restart" });
        await server.RestartAsync();

        var sockets = await Task.WhenAll(tokens.Select(token => server.ConnectAsync(token)));

        var everyone = Enumerable.Range(0, clients).Select(n => $"storm{n}").ToHashSet();
        await Task.WhenAll(sockets.Select(async socket =>
        {
            await using var _ = socket;
            Assert.Equal("before the restart", Assert.Single(socket.Replay).Text("text"));
            var known = socket.Roster.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).ToHashSet();
            while (!known.SetEquals(everyone))
            {
                var join = await socket.NextAsync(f => f.Text("event") == "join");
                known.Add(join.Text("user")!);
            }
        }));
    }
}
