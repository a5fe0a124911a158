using System.Text;
using ChatApp.Stomp;

namespace ChatApp.Tests.Stomp;

/// <summary>Property tests of the frame parser: any split of a valid stream gives the same frames; garbage never throws and never grows a buffer past the caps.</summary>
public sealed class StompParserTests
{
    private const string Stream =
        "CONNECT\r\naccept-version:1.2\r\nlogin:a\npasscode:b\r\n\r\n\0\n" +
        "SEND\ndestination:/topic/chat\ncontent-length:5\n\na\0b\0c\0\r\n\n" +
        "SEND\ndestination:/queue/bob\nreceipt:r\\c1\n\nhéllo\0" +
        "SUBSCRIBE\nid:0\ndestination:/topic/chat\n\n\0";

    private static List<StompFrame> ParseAll(byte[] bytes, Random random, out string? error)
    {
        var parser = new StompParser(1024, 64, 4096, 65536);
        var frames = new List<StompFrame>();
        error = null;
        var offset = 0;
        while (offset < bytes.Length && error is null)
        {
            var take = Math.Min(bytes.Length - offset, random.Next(1, 40));
            error = parser.Feed(bytes.AsSpan(offset, take), frames);
            // After CONNECT the session's version is known and headers are unescaped from then on.
            if (frames.Count > 0) parser.Version = StompVersion.V12;
            offset += take;
        }
        return frames;
    }

    [Fact]
    public void EverySplitOfAValidStreamGivesTheSameFrames()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        for (var seed = 0; seed < 500; seed++)
        {
            var frames = ParseAll(bytes, new Random(seed), out var error);
            Assert.Null(error);
            Assert.Equal(["CONNECT", "SEND", "SEND", "SUBSCRIBE"], frames.Select(f => f.Command));
            Assert.Equal("a\0b\0c", Encoding.UTF8.GetString(frames[1].Body));
            Assert.Equal("r:1", frames[2].Header("receipt"));
            Assert.Equal("héllo", Encoding.UTF8.GetString(frames[2].Body));
        }
    }

    [Fact]
    public void RandomGarbageNeverThrowsAndEndsInAnErrorOrFramesWithinTheCaps()
    {
        var random = new Random(42);
        for (var round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(32, 5000)];
            random.NextBytes(bytes);
            // Some rounds are mostly STOMP-looking, to get past the command line.
            if (round % 3 == 0) Encoding.ASCII.GetBytes("SEND\ndestination:x\n").CopyTo(bytes, 0);
            var frames = ParseAll(bytes, random, out _);
            Assert.All(frames, f => Assert.True(f.Body.Length <= 4096));
        }
    }

    [Fact]
    public void ABodyOverTheBodyCapIsDroppedAndMarkedButOverTheFrameCapIsAnError()
    {
        var parser = new StompParser(1024, 64, 10, 100);
        var frames = new List<StompFrame>();
        Assert.Null(parser.Feed(Encoding.ASCII.GetBytes($"SEND\n\n{new string('x', 50)}\0"), frames));
        Assert.True(frames.Single().BodyTooLong);
        Assert.Empty(frames.Single().Body);
        Assert.NotNull(parser.Feed(Encoding.ASCII.GetBytes($"SEND\n\n{new string('x', 101)}"), frames));
    }

    [Fact]
    public void TooManyHeadersOrALongHeaderLineIsAnError()
    {
        var many = "SEND\n" + string.Concat(Enumerable.Range(0, 65).Select(i => $"h{i}:v\n")) + "\n\0";
        Assert.NotNull(new StompParser(1024, 64, 10, 100).Feed(Encoding.ASCII.GetBytes(many), []));
        Assert.NotNull(new StompParser(1024, 64, 10, 100).Feed(Encoding.ASCII.GetBytes($"SEND\nh:{new string('v', 1100)}"), []));
    }
}
