using System.Diagnostics.Metrics;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// One counter of one test server (meter <c>ChatApp</c>), read in-process: other servers running in parallel in this
/// process have meters of their own (their own IMeterFactory), so their counts are not mixed in.
/// </summary>
public sealed class ServerCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    public ServerCounter(ChatServer server, string instrument)
    {
        var meters = server.Service<IMeterFactory>();
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Name == instrument && ReferenceEquals(published.Meter.Scope, meters)) listener.EnableMeasurementEvents(published);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
        _listener.Start();
    }

    /// <summary>The sum of what was counted since this was created.</summary>
    public long Total => Interlocked.Read(ref _total);

    public void Dispose() => _listener.Dispose();
}
