using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.StompJsClient;

namespace ChatApp.Tests.Stomp;

/// <summary>A stompjs connection is a room connection like any other (PROTOCOL.md §4), next to /ws clients.</summary>
public sealed class StompRoomTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync(new()
    {
        ["Chat:PresenceGraceSeconds"] = "0",
        ["Chat:MaxReplay"] = "5",
    });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private readonly Dictionary<string, string> _tokens = [];

    private async Task<string> TokenAsync(string name) =>
        _tokens.TryGetValue(name, out var token) ? token : _tokens[name] = await _server.SignInAsync(name);

    /// <summary>Connects a stompjs client and subscribes it (private queue first); with <paramref name="waitForRoster"/>, returns once the topic is live.</summary>
    private async Task<StompJsClient> JoinAsync(string name, bool subscribePrivate = true, object? topicHeaders = null, bool waitForRoster = true)
    {
        var (js, _) = await ConnectAsync(_server, name, await TokenAsync(name));
        if (subscribePrivate) await js.SubscribeAsync("/user/queue/private");
        await js.SubscribeAsync("/topic/chat", topicHeaders);
        if (waitForRoster) await js.ExpectAsync("message", m => Header(m, "roster") == "true");
        return js;
    }

    private static bool IsSystem(JsonElement body, string ev, string user) =>
        Str(body, "type") == "system" && Str(body, "event") == ev && Str(body, "user") == user;

    [Fact]
    public async Task AStompConnectionJoinsIsInTheRosterAndPartsOnItsLast()
    {
        await using var ws = await _server.JoinAsync("watcher");
        await using (var js = await JoinAsync("stompy", waitForRoster: false))
        {
            await ws.ExpectAsync("system", f => f.GetProperty("event").GetString() == "join" && f.GetProperty("user").GetString() == "stompy");
            var roster = await js.ExpectAsync("message", m => Header(m, "roster") == "true");
            Assert.Equal(["stompy", "watcher"], Body(roster).GetProperty("users").EnumerateArray().Select(u => u.GetString()));
            Assert.Contains("stompy", (await _server.Client(await TokenAsync("stompy")).GetFromJsonAsync<JsonElement>("/api/roster")).GetProperty("users").EnumerateArray().Select(u => u.GetString()));
            // A /ws tab of the same user is silent; closing it leaves stompy online.
            await using (var tab = await _server.ConnectAsync(await TokenAsync("stompy"))) { }
            await ws.SendJsonAsync(new { type = "message", text = "marker 1" });
            var next = await ws.NextAsync(f => f.IsMessage() || TestSocket.Type(f) == "system");
            Assert.Equal("marker 1", next.GetProperty("text").GetString());
        }
        await ws.ExpectAsync("system", f => f.GetProperty("event").GetString() == "part" && f.GetProperty("user").GetString() == "stompy");
    }

    [Fact]
    public async Task TheTopicGetsOneRosterFirstThenPublicEventsAndThePrivateQueueGetsPrivateOnesAndProfileNotices()
    {
        await using var ann = await JoinAsync("ann1", waitForRoster: false);
        var roster = await ann.ExpectAsync("message");
        Assert.Equal("true", Header(roster, "roster"));
        Assert.Equal("/topic/chat", Header(roster, "destination"));
        await using var bob = await _server.JoinAsync("bob1");

        await bob.SendJsonAsync(new { type = "message", text = "psst", to = "ann1" });
        var secret = await ann.ExpectTextAsync("psst");
        Assert.Equal("/user/queue/private", Header(secret, "destination"));
        Assert.Equal("bob1", Header(secret, "sender"));
        Assert.Equal("ann1", Header(secret, "recipient"));

        await ann.PublishAsync("/queue/bob1", "back at you");
        var sent = await ann.ExpectTextAsync("back at you");
        Assert.Equal("/user/queue/private", Header(sent, "destination"));
        Assert.Equal("bob1", Str(Body(sent), "to"));
        await bob.ExpectMessageAsync("back at you");

        using var visitor = _server.Client();
        (await visitor.GetAsync("/profile/ann1")).EnsureSuccessStatusCode();
        var notice = await ann.ExpectMessageAsync(b => Str(b, "type") == "system" && Str(b, "event") == "profile");
        Assert.Equal("/user/queue/private", Header(notice, "destination"));
    }

    [Fact]
    public async Task AJsonBodyIsAClientFrameAndARepeatedClientIdIsIdempotent()
    {
        await using var ws = await _server.JoinAsync("watch2");
        await using var js = await JoinAsync("jason");
        var frame = JsonSerializer.Serialize(new { type = "message", text = "only once", clientId = "c-1" });
        await js.PublishAsync("/topic/chat", frame, new Dictionary<string, string> { ["content-type"] = "application/json" }, receipt: "a");
        await js.PublishAsync("/topic/chat", frame, new Dictionary<string, string> { ["content-type"] = "application/json" }, receipt: "b");
        var first = Body(await js.ExpectTextAsync("only once"));
        Assert.Equal("c-1", Str(first, "clientId"));
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "a");
        var second = Body(await js.ExpectTextAsync("only once"));
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "b");

        await ws.ExpectMessageAsync("only once");
        await js.PublishAsync("/topic/chat", "marker 2");
        var next = await ws.NextAsync(f => f.IsMessage());
        Assert.Equal("marker 2", next.GetProperty("text").GetString()); // no second "only once"
    }

    [Fact]
    public async Task JsonEditAndDeleteFramesEditAndDeleteOnesOwnMessageAndRefuseAnotherUsers()
    {
        await using var ws = await _server.JoinAsync("watch3");
        await using var js = await JoinAsync("editor");
        var json = new Dictionary<string, string> { ["content-type"] = "application/json" };
        await js.PublishAsync("/topic/chat", "first words", receipt: "m");
        var id = Body(await js.ExpectTextAsync("first words")).GetProperty("id").GetInt64();

        await js.PublishAsync("/topic/chat", JsonSerializer.Serialize(new { type = "edit", target = id, text = "better words", clientId = "ed-1" }), json, receipt: "e");
        var edit = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "edit"));
        Assert.Equal(id, edit.GetProperty("target").GetInt64());
        Assert.Equal("better words", Str(edit, "text"));
        Assert.Equal("ed-1", Str(edit, "clientId"));
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "e");
        Assert.Equal("better words", (await ws.NextAsync(f => f.GetProperty("type").GetString() == "edit")).GetProperty("text").GetString());

        await ws.SendJsonAsync(new { type = "message", text = "not yours" });
        var theirs = Body(await js.ExpectTextAsync("not yours")).GetProperty("id").GetInt64();
        await js.PublishAsync("/topic/chat", JsonSerializer.Serialize(new { type = "delete", target = theirs, clientId = "del-x" }), json);
        var refused = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "error"));
        Assert.Equal("not_yours", Str(refused, "code"));
        Assert.Equal("del-x", Str(refused, "clientId"));

        await js.PublishAsync("/topic/chat", JsonSerializer.Serialize(new { type = "delete", target = id }), json, receipt: "d");
        var deleted = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "delete"));
        Assert.Equal(id, deleted.GetProperty("target").GetInt64());
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "d");
    }

    [Fact]
    public async Task RecoverableRefusalsComeOnThePrivateQueueWithTheirCodeClientIdAndReceiptAndTheSessionStays()
    {
        await using var js = await JoinAsync("refused");
        await js.PublishAsync("/queue/nobody-here", "hello?", receipt: "r-unknown");
        var unknown = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "error"));
        Assert.Equal("unknown_user", Str(unknown, "code"));
        Assert.Equal("r-unknown", Str(unknown, "receipt"));

        await js.PublishAsync("/topic/chat", JsonSerializer.Serialize(new { type = "message", text = " ", clientId = "e-1" }),
            new Dictionary<string, string> { ["content-type"] = "application/json" });
        var empty = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "error"));
        Assert.Equal("empty", Str(empty, "code"));
        Assert.Equal("e-1", Str(empty, "clientId"));

        await js.PublishAsync("/topic/chat", "still connected", receipt: "ok");
        await js.ExpectTextAsync("still connected");
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "ok");
    }

    [Fact]
    public async Task OverTheRateLimitAcrossTransportsASendIsRefusedRateLimitedWithoutClosing()
    {
        await using var server = await ChatServer.StartAsync(new() { ["Chat:RateLimit:Messages"] = "2", ["Chat:RateLimit:PerSeconds"] = "60" });
        var token = await server.SignInAsync("fast");
        await using var ws = await server.ConnectAsync(token);
        var (js, _) = await ConnectAsync(server, "fast", token);
        await using var _js = js;
        await js.SubscribeAsync("/user/queue/private");
        await ws.SendJsonAsync(new { type = "message", text = "one" });
        await ws.ExpectMessageAsync("one");
        await js.PublishAsync("/topic/chat", "two", receipt: "r2");
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "r2");
        await js.PublishAsync("/topic/chat", "three", receipt: "r3");
        var refusal = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "error"));
        Assert.Equal("rate_limited", Str(refusal, "code"));
        Assert.Equal("r3", Str(refusal, "receipt"));
        await js.PublishAsync("/topic/chat", "four"); // without a receipt the room's own refusal comes the same way
        Assert.Equal("rate_limited", Str(Body(await js.ExpectMessageAsync(b => Str(b, "type") == "error")), "code"));
    }

    [Fact]
    public async Task ASharedFileReachesStompSubscribersAsItsMetadataEventWithUrl()
    {
        await using var js = await JoinAsync("filer");
        await using var ws = await _server.JoinAsync("sharer");
        await ws.SendFileAsync("cat.png", "image/png", FileSharing.Png);
        var file = Body(await js.ExpectMessageAsync(b => Str(b, "type") == "file"));
        Assert.Equal("cat.png", Str(file, "name"));
        Assert.False(file.GetProperty("binary").GetBoolean());
        using var http = _server.Client(await TokenAsync("filer"));
        var bytes = await http.GetByteArrayAsync(Str(file, "url"));
        Assert.Equal(FileSharing.Png, bytes);
    }

    [Fact]
    public async Task SinceOnTheTopicReplaysThenReplayedThenRosterSoAReconnectMissesNothingAndSeesNothingTwice()
    {
        await using var ws = await _server.JoinAsync("talker");
        long lastSeen;
        await using (var js = await JoinAsync("resumer"))
        {
            await ws.SendJsonAsync(new { type = "message", text = "seen before" });
            lastSeen = Body(await js.ExpectTextAsync("seen before")).GetProperty("id").GetInt64();
        }
        for (var i = 0; i < 3; i++) await ws.SendJsonAsync(new { type = "message", text = $"missed {i}" });
        await ws.ExpectMessageAsync("missed 2");

        await using var again = await JoinAsync("resumer", topicHeaders: new Dictionary<string, string> { ["since"] = lastSeen.ToString() }, waitForRoster: false);
        var texts = new List<string?>();
        JsonElement frame;
        while (Header(frame = await again.ExpectAsync("message"), "replayed") != "true")
        {
            var body = Body(frame);
            Assert.True(body.GetProperty("replay").GetBoolean());
            if (Str(body, "type") == "message") texts.Add(Str(body, "text"));
        }
        Assert.Equal(["missed 0", "missed 1", "missed 2"], texts);
        Assert.False(Body(frame).TryGetProperty("truncated", out _));
        Assert.Equal("true", Header(await again.ExpectAsync("message"), "roster"));
        await ws.SendJsonAsync(new { type = "message", text = "live again" });
        await again.ExpectTextAsync("live again");
    }

    [Fact]
    public async Task ASinceReplayOverMaxReplayIsTheNewestAndSaysTruncated()
    {
        await using var ws = await _server.JoinAsync("flood");
        await ws.SendJsonAsync(new { type = "message", text = "start" });
        var start = (await ws.ExpectMessageAsync("start")).GetProperty("id").GetInt64();
        for (var i = 0; i < 8; i++) await ws.SendJsonAsync(new { type = "message", text = $"f{i}" });
        await ws.ExpectMessageAsync("f7");
        await using var js = await JoinAsync("late", subscribePrivate: false, topicHeaders: new Dictionary<string, string> { ["since"] = start.ToString() }, waitForRoster: false);
        var replayed = await js.ExpectAsync("message", m => Header(m, "replayed") == "true");
        var body = Body(replayed);
        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(5, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task UnsubscribeStopsDeliveryAndDisconnectWithReceiptIsAnswered()
    {
        var token = await _server.SignInAsync("leaver");
        await using var raw = (await RawStompClient.ConnectAsync(_server, "leaver", token)).Client;
        await raw.SendAsync("SUBSCRIBE\nid:t\ndestination:/topic/chat\nreceipt:s\n\n\0");
        await raw.ExpectAsync(f => f.Command == "RECEIPT");
        await raw.SendAsync("SUBSCRIBE\nid:p\ndestination:/user/queue/private\n\n\0UNSUBSCRIBE\nid:t\n\n\0ACK\nid:1\n\n\0NACK\nid:1\n\n\0" +
                            "SEND\ndestination:/topic/chat\n\nunheard\0SEND\ndestination:/queue/leaver\n\nheard privately\0");
        // The leaver's own join notice is stored, and so delivered, whenever the log commits it: it may come while
        // the topic is still subscribed. Notices aside, the next message is the private one, not the unheard one.
        var next = await raw.ExpectAsync(f => f.Command == "MESSAGE" && f.Json?.GetProperty("type").GetString() != "system");
        Assert.Equal("heard privately", next.Json!.Value.GetProperty("text").GetString());
        await raw.SendAsync("DISCONNECT\nreceipt:bye\n\n\0");
        var receipt = await raw.ExpectAsync(f => f.Command is "RECEIPT" or "(close)");
        Assert.Equal("bye", receipt["receipt-id"]);
    }
}
