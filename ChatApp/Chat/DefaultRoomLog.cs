using ChatApp.Storage;
using Microsoft.Extensions.Options;

namespace ChatApp.Chat;

/// <summary>
/// The room's log in one process: events are numbered here, limited per user by <see cref="SendRateLimiter"/>, and
/// stored in batches by the <see cref="EventWriter"/>, which hands each committed batch back to the room.
/// </summary>
public sealed class DefaultRoomLog(IOptions<ChatOptions> options, EventWriter writer, TimeProvider clock) : IRoomLog
{
    private readonly SendRateLimiter _rateLimiter = new(options.Value.RateLimit, clock);
    private long _lastId;

    public long LastId => Volatile.Read(ref _lastId);

    public Task StartAsync(long lastStoredId, RoomInbox inbox, CancellationToken cancellationToken)
    {
        // Nothing unstored was ever sent, so numbering on from the newest stored id never reuses a sent one.
        _lastId = lastStoredId;
        writer.BatchDone = inbox.StoredAsync;
        return Task.CompletedTask;
    }

    // Nothing is shared: what this process stored is all there is.
    public Task CaughtUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ChatError? Append(ChatEvent e, long ticket, bool limited)
    {
        if (limited && e.From is { } user && !_rateLimiter.TryTake(user)) return ChatError.RateLimited;
        writer.Enqueue(e.Numbered(Interlocked.Increment(ref _lastId), ticket));
        return null;
    }

    // The health endpoint probes the database itself.
    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
