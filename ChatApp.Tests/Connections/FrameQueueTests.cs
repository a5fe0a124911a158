using System.Text;
using ChatApp.Connections;

namespace ChatApp.Tests.Connections;

public sealed class FrameQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static OutboundFrame Frame(string text) => Encoding.UTF8.GetBytes(text);
    private static string Text(OutboundFrame frame) => Encoding.UTF8.GetString(frame.Bytes!);

    [Fact]
    public void FramesComeOutInOrderAcrossSegmentsAndADrainedQueueHoldsNoSegment()
    {
        var queue = new FrameQueue(capacity: 1000);
        for (var i = 0; i < 100; i++) Assert.True(queue.TryWrite(Frame($"f{i}")));
        Assert.Equal(100, queue.Count);
        Assert.Equal(4, queue.SegmentsHeld); // 32 frames a segment

        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryPeek(out var peeked));
            Assert.True(queue.TryRead(out var frame));
            Assert.Equal($"f{i}", Text(frame));
            Assert.Same(peeked.Bytes, frame.Bytes);
        }
        Assert.False(queue.TryRead(out _));
        Assert.Equal(0, queue.Count);
        Assert.Equal(0, queue.SegmentsHeld);
    }

    [Fact]
    public async Task ADiscardedQueueGivesItsSegmentsBackAndTakesNoMore()
    {
        // A connection that ended with a backlog: its segments go back to the pool, not stay counted as in use
        // (which made the server look busy to the memory trim for good).
        var queue = new FrameQueue(capacity: 1000);
        for (var i = 0; i < 100; i++) Assert.True(queue.TryWrite(Frame($"f{i}")));
        Assert.Equal(4, queue.SegmentsHeld);

        queue.Discard();

        Assert.Equal(0, queue.SegmentsHeld);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryRead(out _));
        Assert.False(queue.TryWrite(Frame("late")));
        Assert.False(await queue.WaitToReadAsync().AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public void ARunOfFramesQueuedAsOneItemCountsAsItsFramesAgainstTheCapacity()
    {
        // Chat:OutboxFrames bounds frames (PROTOCOL.md): events stored together and queued as one item count one by one.
        var queue = new FrameQueue(capacity: 10);
        Assert.True(queue.TryWrite(new OutboundFrame(Encoding.UTF8.GetBytes("abcdef"), frames: 6)));
        Assert.Equal(1, queue.Count);
        Assert.Equal(6, queue.Frames);
        Assert.False(queue.TryWrite(new OutboundFrame(Encoding.UTF8.GetBytes("ghijk"), frames: 5)));
        Assert.True(queue.TryWrite(new OutboundFrame(Encoding.UTF8.GetBytes("ghij"), frames: 4)));
        Assert.False(queue.TryWrite(Frame("over")));

        Assert.True(queue.TryRead(out var run));
        Assert.Equal("abcdef", Text(run));
        Assert.Equal(6, run.Frames);
        Assert.Equal(4, queue.Frames);
        Assert.True(queue.TryWrite(Frame("k")));
        Assert.Equal(5, queue.Frames);
    }

    [Fact]
    public void AFullQueueRefusesUntilAFrameIsRead()
    {
        var queue = new FrameQueue(capacity: 3);
        for (var i = 0; i < 3; i++) Assert.True(queue.TryWrite(Frame($"f{i}")));
        Assert.False(queue.TryWrite(Frame("over")));
        Assert.True(queue.TryRead(out _));
        Assert.True(queue.TryWrite(Frame("f3")));
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public async Task ACompletedQueueRefusesNewFramesButItsReaderStillGetsTheQueuedOnes()
    {
        var queue = new FrameQueue(capacity: 10);
        queue.TryWrite(Frame("last words"));
        queue.Complete();

        Assert.False(queue.TryWrite(Frame("too late")));
        Assert.True(await queue.WaitToReadAsync().AsTask().WaitAsync(Timeout));
        Assert.True(queue.TryRead(out var frame));
        Assert.Equal("last words", Text(frame));
        Assert.False(await queue.WaitToReadAsync().AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByAWriteAndByCompletion()
    {
        var queue = new FrameQueue(capacity: 10);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        queue.TryWrite(Frame("hello"));
        Assert.True(await waiting.WaitAsync(Timeout));
        Assert.True(queue.TryRead(out _));

        var again = queue.WaitToReadAsync().AsTask();
        Assert.False(again.IsCompleted);
        queue.Complete();
        Assert.False(await again.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ManyWritersAndOneReaderLoseNothingAndKeepEachWritersOrder()
    {
        const int writers = 4, each = 20_000;
        var queue = new FrameQueue(capacity: writers * each);
        var reading = Task.Run(async () =>
        {
            var next = new int[writers];
            var read = 0;
            while (read < writers * each && await queue.WaitToReadAsync())
                while (queue.TryRead(out var frame))
                {
                    var (writer, n) = (frame.Bytes![0], BitConverter.ToInt32(frame.Bytes, 1));
                    Assert.Equal(next[writer]++, n);
                    read++;
                }
            return read;
        });
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var n = 0; n < each; n++)
                Assert.True(queue.TryWrite(new OutboundFrame([(byte)w, .. BitConverter.GetBytes(n)])));
        })));

        Assert.Equal(writers * each, await reading.WaitAsync(Timeout));
        Assert.Equal(0, queue.SegmentsHeld);
    }
}
