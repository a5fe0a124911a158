using System.Diagnostics.Metrics;

namespace ChatApp.Diagnostics;

/// <summary>
/// The room's counters on System.Diagnostics.Metrics (meter <c>ChatApp</c>): read them live with
/// <c>dotnet-counters monitor -n ChatApp --counters ChatApp</c>, or scrape <c>/metrics</c> (Prometheus).
/// Hot paths add once per event or batch, never once per recipient, so counting costs nothing measurable.
/// </summary>
public sealed class ChatMetrics
{
    public const string MeterName = "ChatApp";

    private readonly Counter<long> _events;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _cutOffs;
    private readonly Counter<long> _diskReads;
    private readonly Counter<long> _diskEventsRead;
    private readonly Counter<long> _eventsStored;
    private readonly Counter<long> _trims;
    private readonly Counter<long> _trimmedBytes;
    private readonly Histogram<double> _commitDuration;
    private long _connections;
    private long _users;
    private long _writerQueue;
    private long _stored;

    public ChatMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("chatapp.connections", () => Volatile.Read(ref _connections), "{connection}",
            "Open WebSocket and STOMP connections");
        meter.CreateObservableUpDownCounter("chatapp.users", () => Volatile.Read(ref _users), "{user}",
            "Users online (in the roster)");
        _events = meter.CreateCounter<long>("chatapp.events", "{event}", "Events published by the room (messages, files, notices)");
        _deliveries = meter.CreateCounter<long>("chatapp.deliveries", "{delivery}", "Live events queued to subscribers (one per recipient connection)");
        _cutOffs = meter.CreateCounter<long>("chatapp.outbox.cutoffs", "{connection}", "Connections cut off because their outbound queue filled up");
        meter.CreateObservableUpDownCounter("chatapp.writer.queue", () => Volatile.Read(ref _writerQueue), "{event}",
            "Events waiting to be written to SQLite");
        _eventsStored = meter.CreateCounter<long>("chatapp.writer.events", "{event}", "Events committed to SQLite");
        _commitDuration = meter.CreateHistogram<double>("chatapp.writer.commit.duration", "s", "Time to commit one batch of events to SQLite",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _diskReads = meter.CreateCounter<long>("chatapp.history.disk_reads", "{read}", "History reads that reached past the in-memory archive to SQLite (replays, long polls, first paints)");
        _diskEventsRead = meter.CreateCounter<long>("chatapp.history.disk_events", "{event}", "Events read from SQLite by those reads");
        _trims = meter.CreateCounter<long>("chatapp.memory.trims", "{trim}", "Heap compactions after a burst, once the server went quiet");
        _trimmedBytes = meter.CreateCounter<long>("chatapp.memory.trimmed", "By", "Committed heap memory those compactions gave back");
    }

    public void ConnectionOpened() => Interlocked.Increment(ref _connections);
    public void ConnectionClosed() => Interlocked.Decrement(ref _connections);

    /// <summary>Set by the room loop whenever presence changes.</summary>
    public void UsersOnline(int count) => Volatile.Write(ref _users, count);

    /// <summary><paramref name="events"/> events published, each queued to <paramref name="recipients"/> connections.</summary>
    public void Published(int recipients, int events = 1)
    {
        _events.Add(events);
        if (recipients > 0) _deliveries.Add((long)recipients * events);
    }

    public void OutboxCutOff() => _cutOffs.Add(1);

    public void WriterQueued(int events) => Interlocked.Add(ref _writerQueue, events);

    /// <summary>A batch left the writer's queue: committed (<paramref name="stored"/>) or given up on.</summary>
    public void WriterDone(int events, bool stored, TimeSpan elapsed)
    {
        Interlocked.Add(ref _writerQueue, -events);
        if (!stored) return;
        Interlocked.Add(ref _stored, events);
        _eventsStored.Add(events);
        _commitDuration.Record(elapsed.TotalSeconds);
    }

    /// <summary>Events committed since start: the seeding tool waits on it.</summary>
    public long EventsStored => Volatile.Read(ref _stored);

    public void MemoryTrimmed(long bytes)
    {
        _trims.Add(1);
        _trimmedBytes.Add(bytes);
    }

    public void HistoryReadFromDisk(int events)
    {
        _diskReads.Add(1);
        _diskEventsRead.Add(events);
    }
}
