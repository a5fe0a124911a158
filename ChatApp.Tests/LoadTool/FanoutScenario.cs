using System.Diagnostics;

namespace ChatApp.LoadTool;

/// <summary>
/// fanout: N receivers and S senders; the senders post R messages a second between them (open loop) and each
/// text carries its send time, so every receiver measures send-to-receive latency on this process's clock.
/// saturate: the same, stepping the rate up by a factor until p99 or loss passes its limit or deliveries stop growing.
/// With <c>--replayer 1</c>, fanout measures twice at the same rate: alone, then while a <see cref="DiskReader"/> reads
/// 1,000 events from disk again and again (the room's loop must not wait on those reads: the p99 should not move).
/// </summary>
public static class FanoutScenario
{
    private sealed class Step
    {
        public required long FirstSequence;
        public long LastSequence = long.MaxValue;
        public readonly Histogram Latency = new();
        public int[] Received = new int[1024];
        public long Deliveries;
    }

    public static async Task<Report> RunAsync(Options o, bool saturate)
    {
        var receivers = o.Int("clients", 1000);
        var senderCount = o.Int("senders", 10);
        var users = o.Int("users", 0) is > 0 and var u ? u : receivers;
        var size = o.Int("size", 100);
        await using var server = await ServerUnderTest.StartAsync(o);
        var prefix = Crowd.NewPrefix("fan");
        var accounts = await Crowd.SignInAsync(server.Url, prefix, users + senderCount, o.Int("concurrency", 100), server.SignalR);

        Step? step = null;
        var gate = new object();
        void OnMessage(ChatClient client, long sequence, long sentTicks)
        {
            var now = Stopwatch.GetTimestamp();
            lock (gate)
            {
                var s = step;
                if (s is null || sequence < s.FirstSequence || sequence > s.LastSequence) return;
                var at = (int)(sequence - s.FirstSequence);
                if (at >= s.Received.Length) Array.Resize(ref s.Received, Math.Max(at + 1, s.Received.Length * 2));
                s.Received[at]++;
                s.Deliveries++;
                s.Latency.Add((now - sentTicks) * 1000.0 / Stopwatch.Frequency);
            }
        }

        var timeout = TimeSpan.FromSeconds(o.Number("open-timeout", 60));
        var listeners = await Crowd.ConnectAsync(server.Url, accounts, receivers, i => i % users, o.Int("concurrency", 100), o.Number("connect-rate", 1000), timeout, onMessage: OnMessage, dialect: server.Dialect);
        var senders = await Crowd.ConnectAsync(server.Url, accounts, senderCount, i => users + i, 10, 0, timeout, dialect: server.Dialect);
        var report = new Report(saturate ? "saturate" : "fanout").Add("receivers", receivers).Add("senders", senderCount).Add("users", users);
        long sequence = 0;

        // One step: warm up at the rate, then measure for the window, then let deliveries drain.
        async Task<(double Offered, double PerSecond, double P50, double P99, double Max, double LossPercent, double CpuPercent)> RunStep(double rate, double warmup, double duration)
        {
            var clock = Stopwatch.StartNew();
            Step? measuring = null;
            long sentInWindow = 0, sent = 0;
            var cpuBefore = TimeSpan.Zero;
            var end = warmup + duration;
            while (clock.Elapsed.TotalSeconds < end)
            {
                var t = clock.Elapsed.TotalSeconds;
                if (measuring is null && t >= warmup)
                {
                    measuring = new Step { FirstSequence = sequence };
                    lock (gate) step = measuring;
                    cpuBefore = server.CpuTime();
                    sentInWindow = 0;
                }
                var due = (long)(t * rate);
                while (sent < due)
                {
                    var sender = senders[(int)(sent % senders.Length)];
                    await sender.SendMessageAsync(sequence++, size);
                    sent++;
                    if (measuring is not null) sentInWindow++;
                }
                await Task.Delay(1);
            }
            var windowSeconds = clock.Elapsed.TotalSeconds - warmup;
            var cpu = (server.CpuTime() - cpuBefore).TotalSeconds / windowSeconds * 100;
            lock (gate) measuring!.LastSequence = sequence - 1;
            var expected = sentInWindow * receivers;
            var drainUntil = DateTime.UtcNow + TimeSpan.FromSeconds(o.Number("drain", 5));
            while (DateTime.UtcNow < drainUntil && Interlocked.Read(ref measuring.Deliveries) < expected) await Task.Delay(20);
            lock (gate)
            {
                step = null;
                var loss = expected == 0 ? 0 : 100.0 * (expected - measuring.Deliveries) / expected;
                return (sentInWindow / windowSeconds, measuring.Latency.Count / windowSeconds, measuring.Latency.Percentile(50),
                    measuring.Latency.Percentile(99), measuring.Latency.MaxMs, loss, cpu);
            }
        }

        if (!saturate && o.Int("replayer", 0) > 0)
        {
            var archive = o.Int("archive", 20000);
            await using var reader = await DiskReader.SeedAsync(server.Url, accounts[users], o.Int("replay-seed", (int)(Math.Max(archive, 1000) * 1.25) + 3 * DiskReader.EventsPerRead), Math.Max(archive, 1000));
            var alone = await RunStep(o.Number("rate", 200), o.Number("warmup", 3), o.Number("duration", 15));
            reader.Start(TimeSpan.FromMilliseconds(o.Number("replay-pause", 0)));
            var beside = await RunStep(o.Number("rate", 200), o.Number("warmup", 3), o.Number("duration", 15));
            report.Add("offered msg/s", beside.Offered)
                .Add("p50 ms alone", alone.P50).Add("p99 ms alone", alone.P99).Add("loss % alone", alone.LossPercent)
                .Add("p50 ms with disk reads", beside.P50).Add("p99 ms with disk reads", beside.P99).Add("loss % with disk reads", beside.LossPercent)
                .Add("disk reads of 1,000", reader.Reads).Add("events read from disk", reader.Events);
        }
        else if (!saturate)
        {
            var r = await RunStep(o.Number("rate", 200), o.Number("warmup", 3), o.Number("duration", 15));
            report.Add("offered msg/s", r.Offered).Add("deliveries/s", r.PerSecond).Add("loss %", r.LossPercent)
                .Add("p50 ms", r.P50).Add("p99 ms", r.P99).Add("max ms", r.Max).Add("server CPU %", r.CpuPercent)
                .Add("server CPU us/delivery", r.PerSecond > 0 ? r.CpuPercent / 100 * 1e6 / r.PerSecond : double.NaN)
                .Add("server RSS MiB", Report.Mib(server.Rss()));
        }
        else
        {
            double rate = o.Number("start-rate", 50), best = 0, bestRate = 0, bestP99 = double.NaN, bestCpu = double.NaN;
            for (var i = 0; i < o.Int("max-steps", 30); i++)
            {
                var r = await RunStep(rate, o.Number("step-warmup", 1), o.Number("step-duration", 5));
                Console.Error.WriteLine($"step {rate,8:0} msg/s: {r.PerSecond,10:0} del/s p99 {r.P99,7:0.0} ms loss {r.LossPercent,5:0.00} % cpu {r.CpuPercent,5:0} %");
                var withinLimits = r.P99 <= o.Number("max-p99", 250) && r.LossPercent <= o.Number("max-loss", 1);
                if (!withinLimits) break;
                var grew = r.PerSecond > best * 1.05;
                if (r.PerSecond > best) (best, bestRate, bestP99, bestCpu) = (r.PerSecond, rate, r.P99, r.CpuPercent);
                if (!grew) break;
                rate *= o.Number("step-factor", 1.25);
            }
            report.Add("peak msg/s", bestRate).Add("peak deliveries/s", best).Add("p99 at peak ms", bestP99)
                .Add("server CPU us/delivery at peak", best > 0 ? bestCpu / 100 * 1e6 / best : double.NaN)
                .Add("server RSS MiB", Report.Mib(server.Rss()));
        }
        await Crowd.CloseAllAsync(senders);
        await Crowd.CloseAllAsync(listeners);
        return report;
    }
}
