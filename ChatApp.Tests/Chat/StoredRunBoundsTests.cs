using ChatApp.Chat;

namespace ChatApp.Tests.Chat;

/// <summary>
/// A run (Chat/StoredRun.cs) ends at <see cref="StoredRun.MaxEvents"/> events or at about <see cref="StoredRun.MaxChars"/>
/// characters of text, whichever comes first, so that its bytes, built once and shared by every connection, stay small.
/// </summary>
public sealed class StoredRunBoundsTests
{
    private static StoredEvent Message(long id, int length) => new(new ChatEvent
    {
        Id = id, Kind = ChatEventKind.Message, From = "ann", Text = new string('x', length), Html = $"<p>{new string('x', length)}</p>",
    });

    private static StoredEvent Join(long id) => new(new ChatEvent
    {
        Id = id, Kind = ChatEventKind.System, SystemEvent = "join", User = $"u{id}", Text = $"u{id} joined",
    });

    private static int Gather(StoredRun run, IEnumerable<StoredEvent> events)
    {
        foreach (var stored in events)
        {
            if (!run.Takes(stored.Event)) break;
            run.Add(stored, origin: null);
        }
        return run.Count;
    }

    [Fact]
    public void AStormsJoinsFillARunByCount()
    {
        var run = new StoredRun();
        Assert.Equal(StoredRun.MaxEvents, Gather(run, Enumerable.Range(1, 1000).Select(i => Join(i))));
    }

    [Fact]
    public void LongMessagesEndARunByLengthLongBeforeItsCount()
    {
        var run = new StoredRun();
        var taken = Gather(run, Enumerable.Range(1, 100).Select(i => Message(i, 4000)));

        Assert.Equal(2, taken); // each is about 8,000 characters of text and html
        var bytes = run.LiveFrames(e => ChatEventJson.Event(e));
        Assert.InRange(bytes.Length, 16_000, 85_000 - 1); // below the large-object heap
    }

    [Fact]
    public void AMessageLongerThanARunsBoundStillGoesAloneAndAnEmptiedRunTakesAgain()
    {
        var run = new StoredRun();
        var huge = Message(1, StoredRun.MaxChars);
        Assert.True(run.Takes(huge.Event));
        run.Add(huge, origin: null);
        Assert.False(run.Takes(Message(2, 10).Event));

        run.Clear();
        Assert.True(run.Takes(Message(2, 10).Event));
    }
}
