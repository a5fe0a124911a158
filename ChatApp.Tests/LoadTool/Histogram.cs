namespace ChatApp.LoadTool;

/// <summary>Latencies in 20 µs buckets up to 60 s: percentiles without keeping every sample.</summary>
public sealed class Histogram
{
    private const double BucketMs = 0.02;
    private readonly long[] _buckets = new long[(int)(60_000 / BucketMs) + 1];

    public long Count { get; private set; }
    public double MaxMs { get; private set; }

    public void Add(double ms)
    {
        if (ms < 0) ms = 0;
        _buckets[Math.Min(_buckets.Length - 1, (int)(ms / BucketMs))]++;
        Count++;
        if (ms > MaxMs) MaxMs = ms;
    }

    public double Percentile(double p)
    {
        if (Count == 0) return double.NaN;
        var rank = (long)Math.Ceiling(Count * p / 100);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
            if ((seen += _buckets[i]) >= rank) return (i + 1) * BucketMs;
        return MaxMs;
    }
}
