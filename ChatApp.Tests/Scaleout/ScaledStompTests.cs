using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.StompJsClient;

namespace ChatApp.Tests.Scaleout;

/// <summary>STOMP clients (PROTOCOL.md §4) on one node and /ws clients on another are in one chat.</summary>
public sealed class ScaledStompTests
{
    [Fact]
    public async Task AStompJsClientOnOneNodeAndASocketOnTheOtherHearEachOtherAndAReceiptMeansStoredForBoth()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var ann = await chat.JoinAsync(0, "ann");
        var token = await chat.SignInAsync(1, "jsbob");
        var (js, _) = await ConnectAsync(chat[1].Port, "jsbob", token);
        await using var _ = js;
        await js.SubscribeAsync("/topic/chat");
        await js.ExpectAsync("message", m => Header(m, "roster") == "true");

        await ann.SendJsonAsync(new { type = "message", text = "from ws on node 0" });
        var heard = await js.ExpectTextAsync("from ws on node 0");
        Assert.Equal("ann", Header(heard, "sender"));

        await js.PublishAsync("/topic/chat", "from stompjs on node 1", receipt: "r1");
        var echo = await js.ExpectTextAsync("from stompjs on node 1");
        await js.ExpectAsync("receipt", r => r.GetProperty("id").GetString() == "r1");
        var seen = await ann.ExpectMessageAsync("from stompjs on node 1");
        Assert.Equal("jsbob", seen.GetProperty("from").GetString());
        Assert.Equal(Body(echo).GetProperty("id").GetInt64(), seen.Id());
    }

    [Fact]
    public async Task ARawStompSendWithAReceiptOnOneNodeIsDeliveredPubliclyAndPrivatelyOnTheOtherAndResumesThereWithSince()
    {
        await using var chat = await ScaledChat.StartAsync();
        await using var ann = await chat.JoinAsync(0, "ann");
        var token = await chat.SignInAsync(1, "raw");
        var (stomp, _) = await RawStompClient.ConnectAsync(chat[1].Port, "raw", token);
        await using (stomp)
        {
            await stomp.SendAsync("SUBSCRIBE\nid:priv\ndestination:/user/queue/private\n\n\0");
            await stomp.SendAsync("SEND\ndestination:/topic/chat\nreceipt:s1\n\nsaid on node 1\0");
            var receipt = await stomp.ExpectAsync(f => f.Command == "RECEIPT");
            Assert.Equal("s1", receipt["receipt-id"]);
            // The receipt came once the event was stored: node 0 delivers it (the log is the same for both).
            var said = await ann.ExpectMessageAsync("said on node 1");
            Assert.Equal("raw", said.GetProperty("from").GetString());

            await stomp.SendAsync("SEND\ndestination:/queue/ann\nreceipt:s2\n\nonly for ann\0");
            await stomp.ExpectAsync(f => f.Command == "RECEIPT" && f["receipt-id"] == "s2");
            var whisper = await ann.ExpectMessageAsync("only for ann");
            Assert.Equal("ann", whisper.GetProperty("to").GetString());

            await ann.SendJsonAsync(new { type = "message", text = "back to raw", to = "raw" });
            var back = await stomp.ExpectTextAsync("back to raw");
            Assert.Equal("ann", back["sender"]);
            Assert.Equal("raw", back["recipient"]);
        }

        // A STOMP subscription resuming on node 1 with since gets what node 0 said meanwhile, once, then replayed.
        var since = (await ann.ExpectMessageAsync("back to raw")).Id();
        for (var i = 0; i < 3; i++) await ann.SendJsonAsync(new { type = "message", text = $"while away {i}" });
        await ann.ExpectMessageAsync("while away 2");
        var (again, _) = await RawStompClient.ConnectAsync(chat[1].Port, "raw", token);
        await using (again)
        {
            await again.SendAsync($"SUBSCRIBE\nid:t\ndestination:/topic/chat\nsince:{since}\n\n\0");
            var replayed = new List<JsonElement>();
            RawFrame frame;
            while ((frame = await again.ExpectAsync(f => f.Command == "MESSAGE"))["replayed"] != "true") replayed.Add(frame.Json!.Value);
            Assert.Equal(["while away 0", "while away 1", "while away 2"], replayed.Where(f => TestSocket.Type(f) == "message").Select(f => f.Text()));
            Assert.All(replayed, f => Assert.True(f.GetProperty("replay").GetBoolean()));
        }
    }
}
