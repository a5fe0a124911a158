using System.Text;
using ChatApp.Chat;

namespace ChatApp.Tests.Chat;

/// <summary>
/// An event's frame kept per key (Chat/KeyedFrames.cs: a STOMP subscription's header): recipients with equal keys share one
/// array, the two latest keys are both kept, a third replaces the older, and letting the live frames go drops them all.
/// </summary>
public sealed class KeyedFramesTests
{
    private static byte[] Key(string id) => Encoding.UTF8.GetBytes($"MESSAGE\nsubscription:{id}\n");

    private int _builds;

    private byte[] Build(StoredEvent e, byte[] key)
    {
        _builds++;
        return [.. key, .. Encoding.UTF8.GetBytes(e.Event.Text!)];
    }

    private static StoredEvent Message(long id) => new(new ChatEvent { Id = id, Kind = ChatEventKind.Message, From = "ann", Text = $"m{id}", Html = $"<p>m{id}</p>" });

    [Fact]
    public void RecipientsWithEqualKeysShareOneFrameAndTwoKeysAreKeptAtOnce()
    {
        var e = Message(1);
        var first = e.Frame(Key("sub-0"), Build);
        Assert.Same(first, e.Frame(Key("sub-0"), Build)); // an equal key in another array
        var other = e.Frame(Key("sub-1"), Build);
        Assert.Equal(Key("sub-1").Concat(Encoding.UTF8.GetBytes("m1")), other);
        // Alternating between two keys builds nothing more.
        Assert.Same(first, e.Frame(Key("sub-0"), Build));
        Assert.Same(other, e.Frame(Key("sub-1"), Build));
        Assert.Equal(2, _builds);

        // A third key replaces the older of the two (sub-0 was used last, so sub-1 goes).
        e.Frame(Key("sub-0"), Build);
        e.Frame(Key("room"), Build);
        Assert.Same(first, e.Frame(Key("sub-0"), Build));
        Assert.NotSame(other, e.Frame(Key("sub-1"), Build));
        Assert.Equal(4, _builds);

        e.ForgetLiveFrames();
        Assert.NotSame(first, e.Frame(Key("sub-0"), Build));
        Assert.Equal(5, _builds);
    }

    [Fact]
    public void ARunsFramesAreBuiltOncePerKeyFromItsEventsFrames()
    {
        var run = new StoredRun();
        var events = Enumerable.Range(1, 3).Select(i => Message(i)).ToList();
        foreach (var e in events) run.Add(e, origin: null);

        var bytes = run.Frames(Key("sub-0"), Build);
        Assert.Equal(events.SelectMany(e => e.Frame(Key("sub-0"), Build)), bytes);
        Assert.Same(bytes, run.Frames(Key("sub-0"), Build));
        var other = run.Frames(Key("sub-1"), Build);
        Assert.Same(bytes, run.Frames(Key("sub-0"), Build));
        Assert.Equal(6, _builds); // each event once per key

        run.Clear();
        run.Add(events[0], origin: null);
        Assert.Equal(events[0].Frame(Key("sub-0"), Build), run.Frames(Key("sub-0"), Build));
        Assert.NotSame(other, run.Frames(Key("sub-1"), Build));
    }
}
