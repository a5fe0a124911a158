using ChatApp.Chat;
using ChatApp.Scaleout;

namespace ChatApp.Tests.Scaleout;

/// <summary>An event crosses Redis (Scaleout/BusEventCodec.cs) as the sending node holds it: every member, its time to the millisecond.</summary>
public sealed class BusEventCodecTests
{
    private static readonly DateTime Ts = new(2026, 11, 29, 12, 0, 0, 123, DateTimeKind.Utc);

    public static TheoryData<ChatEvent> EveryKind() => new()
    {
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.Message, From = "ann", Text = "hi @bob", Html = "<p>hi @bob</p>\n", ClientId = "c1", Mentions = ["bob"] },
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.Message, From = "ann", To = "bob", Text = "psst", Html = "<p>psst</p>\n" },
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.File, From = "ann", Text = "a.png", FileName = "a.png", ContentType = "image/png", FileSize = 5, FileKey = "k1" },
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.Edit, From = "ann", Target = 7, Text = "fixed", Html = "<p>fixed</p>\n" },
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.Delete, From = "ann", Target = 7 },
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.System, SystemEvent = "join", User = "bob", Text = "bob joined" },
        new ChatEvent { Ts = Ts, Kind = ChatEventKind.System, SystemEvent = "profile", User = "bob", To = "ann", Ip = "203.0.113.7", Text = "bob visited" },
        new ChatEvent { Ts = DateTime.UnixEpoch.AddMilliseconds(-1), Kind = ChatEventKind.Message, From = "ann", Text = "before 1970" },
    };

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryKindOfEventDecodesAsItWasEncoded(ChatEvent sent)
    {
        var (received, origin) = BusEventCodec.Decode(42, BusEventCodec.Encode(sent, "node-a/9"));
        Assert.Equal("node-a/9", origin);
        Assert.Equal(42, received.Id);
        Assert.Equal(DateTimeKind.Utc, received.Ts.Kind);
        Assert.Equivalent(new ChatEvent
        {
            Id = 42, Ts = sent.Ts, Kind = sent.Kind, From = sent.From, To = sent.To, Text = sent.Text, Html = sent.Html, ClientId = sent.ClientId,
            SystemEvent = sent.SystemEvent, User = sent.User, Ip = sent.Ip, FileName = sent.FileName, ContentType = sent.ContentType,
            FileSize = sent.FileSize, FileKey = sent.FileKey, Target = sent.Target, Mentions = sent.Mentions,
        }, received, strict: true);
    }

    [Fact]
    public void ATimeCrossesAsItsWholeMillisecondsSinceTheUnixEpoch()
    {
        var sent = new ChatEvent { Ts = Ts.AddTicks(9_999), Kind = ChatEventKind.Message, From = "ann", Text = "x" };
        var json = BusEventCodec.Encode(sent);
        Assert.Contains("\"ts\":1795953600123,", json); // the wire's precision (PROTOCOL.md): the sub-millisecond part is dropped
        Assert.Equal(Ts, BusEventCodec.Decode(1, json).Event.Ts);
    }
}
