using System.Threading.Channels;
using ChatApp.Chat;

namespace ChatApp.Tests.Chat;

/// <summary>The room's queue (Chat/WakingChannel.cs): a reader thread that sleeps until a write wakes it.</summary>
public sealed class WakingChannelTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EveryItemFromManyWritersReachesTheSleepingReaderOnceAndTheReaderEndsWhenTheChannelIsCompleteAndEmpty()
    {
        const int writers = 4, each = 20_000;
        var channel = new WakingChannel<int>(Channel.CreateUnbounded<int>(new() { SingleReader = true }));
        var seen = new bool[writers * each];
        var read = 0;
        var reader = StartThread(() =>
        {
            while (channel.WaitToRead())
                while (channel.Reader.TryRead(out var item))
                {
                    Assert.False(seen[item], $"item {item} read twice");
                    seen[item] = true;
                    read++;
                }
        });
        // Writers that pause now and then, so the reader goes to sleep between writes again and again.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                Assert.True(channel.Writer.TryWrite(w * each + i));
                if (i % 1000 == 0) await Task.Delay(1);
            }
        }))).WaitAsync(Timeout);
        channel.Writer.TryComplete();

        await reader.WaitAsync(Timeout);
        Assert.Equal(writers * each, read);
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public async Task ABoundedChannelWakesItsReaderThroughWriteAsyncAndAStopEndsTheWait()
    {
        var channel = new WakingChannel<string>(Channel.CreateBounded<string>(new BoundedChannelOptions(2) { SingleReader = true }));
        using var stop = new CancellationTokenSource();
        var got = new List<string>();
        var reader = StartThread(() =>
        {
            try
            {
                while (channel.WaitToRead(stop.Token))
                    while (channel.Reader.TryRead(out var item)) lock (got) got.Add(item);
            }
            catch (OperationCanceledException) { lock (got) got.Add("stopped"); }
        });
        // More than the channel holds: WriteAsync waits for room the reader makes.
        for (var i = 0; i < 10; i++) await channel.Writer.WriteAsync($"m{i}").AsTask().WaitAsync(Timeout);
        await Eventually(() => { lock (got) return got.Count == 10; });
        stop.Cancel();

        await reader.WaitAsync(Timeout);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"m{i}"), "stopped"], got);
    }

    private static Task StartThread(Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try { body(); done.SetResult(); }
            catch (Exception ex) { done.SetException(ex); }
        }) { IsBackground = true }.Start();
        return done.Task;
    }

    private static Task Eventually(Func<bool> condition) =>
        ChatApp.Tests.Infrastructure.Eventually.ThatAsync(condition, "every item was read");
}
