using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

/// <summary>
/// Public events stored in one batch reach each /ws connection as one queued run of frames (Chat/StoredRun.cs); on the
/// wire every event is still its own frame, in id order, with private events in their places.
/// </summary>
public sealed class StoredRunTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new() { ["Chat:RateLimit:Messages"] = "100000" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MessagesSentFasterThanTheyAreStoredArriveEachAsItsOwnFrameInIdOrderWithPrivateOnesAmongThem()
    {
        await using var jim = await _server.JoinAsync("jim");
        await using var ann = await _server.JoinAsync("ann");
        await jim.ExpectAsync("system", f => f.GetProperty("user").GetString() == "ann");
        const int count = 400;

        // Sent back to back without waiting for echoes, so the writer stores them in batches of many.
        for (var i = 0; i < count; i++)
        {
            if (i == count / 2) await ann.SendJsonAsync(new { type = "message", text = "psst", to = "jim", clientId = "private" });
            if (i == count / 4) await jim.SendJsonAsync(new { type = "message", text = "   ", clientId = "refused" });
            await jim.SendJsonAsync(new { type = "message", text = $"m{i}", clientId = $"c{i}" });
        }

        foreach (var (socket, refusal) in new[] { (jim, true), (ann, false) })
        {
            var texts = new List<string>();
            long lastId = 0;
            var sawPrivate = false;
            var sawRefusal = false;
            while (texts.Count < count || !sawPrivate || sawRefusal != refusal) // ann's private one may be stored after jim's last
            {
                var frame = await socket.ReceiveJsonAsync(Timeout);
                switch (TestSocket.Type(frame))
                {
                    case "message":
                        var id = frame.GetProperty("id").GetInt64();
                        Assert.True(id > lastId, $"id {id} after {lastId}");
                        lastId = id;
                        if (frame.TryGetProperty("to", out _))
                        {
                            Assert.Equal("psst", frame.GetProperty("text").GetString());
                            sawPrivate = true;
                        }
                        else texts.Add(frame.GetProperty("text").GetString()!);
                        break;
                    case "error":
                        Assert.True(refusal);
                        Assert.Equal("refused", frame.GetProperty("clientId").GetString());
                        sawRefusal = true;
                        break;
                }
            }
            Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), texts);
        }

        // Each is stored once, and the history replays them in the same order.
        await using var late = await _server.JoinAsync("late");
        using var http = _server.Client(late.Token);
        var (status, page) = await http.GetJsonAsync("/api/messages?since=0&limit=1000");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var stored = page.EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "message" && !e.TryGetProperty("to", out _))
            .Select(e => e.GetProperty("text").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}"), stored);
    }
}
