using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Stomp;

/// <summary>
/// Public events stored in one batch reach STOMP sessions as runs, their frames built once for every subscription with the
/// same header (Stomp/StompFrames.cs): each subscription still gets every event once, in id order, under its own
/// <c>subscription</c> header, escaped for its session's version; a session with two topic subscriptions gets each event
/// twice, one with none gets no public event, and private events keep to their queues.
/// </summary>
public sealed class StompRunTests : IAsyncLifetime
{
    private const int Count = 300;
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new() { ["Chat:RateLimit:Messages"] = "100000" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed record Session(string Name, string Version, string[] Topics, string? Private, RawStompClient Client);

    [Fact]
    public async Task MessagesStoredInOneBatchReachEverySubscriptionOnceInOrderUnderItsOwnHeader()
    {
        var plans = new (string Name, string Version, string[] Topics, string? Private)[]
        {
            ("sa", "1.2", ["sub-0"], "sub-1"), // stompjs' ids
            ("sb", "1.2", ["sub-0"], "sub-1"), // the same ids: the same frames as sa's
            ("sc", "1.2", ["room:1"], null),   // escaped in 1.2 (room\c1)
            ("sd", "1.0", ["room:1"], null),   // as it is in 1.0
            ("se", "1.2", ["t1", "t2"], null), // two topic subscriptions
            ("sf", "1.2", [], "p"),            // the private queue only
        };
        var sessions = new List<Session>();
        try
        {
            foreach (var (name, version, topics, @private) in plans)
            {
                var (client, _) = await RawStompClient.ConnectAsync(_server, name, await _server.SignInAsync(name), acceptVersion: version,
                    subProtocols: [version == "1.0" ? "v10.stomp" : "v12.stomp"]);
                if (@private is not null)
                {
                    await client.SendAsync($"SUBSCRIBE\nid:{@private}\ndestination:/user/queue/private\nreceipt:r-{@private}\n\n\0");
                    await client.ExpectAsync(f => f.Command == "RECEIPT");
                }
                foreach (var topic in topics)
                {
                    await client.SendAsync($"SUBSCRIBE\nid:{topic}\ndestination:/topic/chat\nreceipt:r-{topic}\n\n\0");
                    await client.ExpectAsync(f => f.Command == "RECEIPT"); // after the subscription's roster
                }
                sessions.Add(new Session(name, version, topics, @private, client));
            }

            await using var jim = await _server.JoinAsync("jim");
            // Sent back to back without waiting for echoes, so the writer stores them in batches of many.
            for (var i = 0; i < Count; i++)
            {
                if (i == Count / 2)
                {
                    await jim.SendJsonAsync(new { type = "message", text = "psst sa", to = "sa" });
                    await jim.SendJsonAsync(new { type = "message", text = "psst sf", to = "sf" });
                }
                await jim.SendJsonAsync(new { type = "message", text = $"m{i}" });
            }
            await jim.SendJsonAsync(new { type = "message", text = "last sf", to = "sf" });

            foreach (var session in sessions) await ExpectEverythingAsync(session);
        }
        finally
        {
            foreach (var session in sessions) await session.Client.DisposeAsync();
        }
    }

    private static async Task ExpectEverythingAsync(Session session)
    {
        // The header each subscription's MESSAGEs carry, as sent: 1.1 and 1.2 escape ':' as "\c", 1.0 escapes nothing.
        string Header(string id) => session.Version == "1.0" ? id : id.Replace(":", "\\c");
        var texts = session.Topics.ToDictionary(Header, _ => new List<string>());
        var lastIds = session.Topics.ToDictionary(Header, _ => 0L);
        var privates = new List<string>();
        var expectedPrivates = session.Name switch { "sa" => new[] { "psst sa" }, "sf" => ["psst sf", "last sf"], _ => [] };

        while (texts.Values.Any(t => t.Count < Count) || privates.Count < expectedPrivates.Length)
        {
            var frame = await session.Client.ReceiveAsync();
            Assert.True(frame.Command == "MESSAGE", $"{session.Name}: {frame}");
            var body = frame.Json!.Value;
            if (body.GetProperty("type").GetString() != "message") continue; // joins and parts of the others
            var subscription = frame["subscription"]!;
            if (body.TryGetProperty("to", out _))
            {
                Assert.Equal(session.Private, subscription);
                Assert.Equal("/user/queue/private", frame["destination"]);
                privates.Add(body.GetProperty("text").GetString()!);
                continue;
            }
            Assert.True(texts.ContainsKey(subscription), $"{session.Name}: a public event under subscription '{subscription}'");
            Assert.Equal("/topic/chat", frame["destination"]);
            Assert.Equal("jim", frame["sender"]);
            var id = body.GetProperty("id").GetInt64();
            Assert.Equal(id.ToString(), frame["message-id"]);
            Assert.True(id > lastIds[subscription], $"{session.Name}: id {id} after {lastIds[subscription]}");
            lastIds[subscription] = id;
            texts[subscription].Add(body.GetProperty("text").GetString()!);
        }
        foreach (var (_, list) in texts) Assert.Equal(Enumerable.Range(0, Count).Select(i => $"m{i}"), list);
        Assert.Equal(expectedPrivates, privates);
    }
}
