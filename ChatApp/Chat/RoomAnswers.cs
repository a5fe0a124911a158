namespace ChatApp.Chat;

/// <summary>
/// The room's answers to whoever asked, on the loop: the echo or refusal to the sending connection, the result to a
/// caller waiting on a post (HTTP, STOMP receipts), the stored event to sends that repeated its clientId, and a joining
/// connection's welcome, replay, replayed and roster. A subscriber's fault is logged and the loop goes on.
/// </summary>
internal sealed class RoomAnswers(ILogger log)
{
    /// <summary>A send refused before it reached the log.</summary>
    public void Refuse(RoomSubscriber? origin, TaskCompletionSource<PostResult>? reply, ChatError error, string? clientId)
    {
        Refuse(origin, error, clientId);
        reply?.TrySetResult(new PostResult(null, error));
    }

    /// <summary>A send whose clientId is stored already: answered with the stored event, as a duplicate.</summary>
    public void Duplicate(RoomSubscriber? origin, TaskCompletionSource<PostResult>? reply, ChatEvent stored)
    {
        Echo(origin, stored);
        reply?.TrySetResult(new PostResult(stored, null, Duplicate: true));
    }

    /// <summary>Every waiter of <paramref name="pending"/>, answered with an event stored earlier under its clientId.</summary>
    public void Duplicate(PendingEvent pending, ChatEvent stored)
    {
        Duplicate(pending.Origin, pending.Reply, stored);
        foreach (var (origin, reply) in pending.Repeats ?? []) Duplicate(origin, reply, stored);
    }

    /// <summary>Answers whoever waits for <paramref name="e"/>: stored (the sender's echo went out with the fan-out), or refused with <paramref name="error"/>.</summary>
    public void Answer(PendingEvent pending, ChatEvent e, ChatError? error)
    {
        if (error is null)
        {
            pending.Reply?.TrySetResult(new PostResult(e, null));
            pending.NoticeReply?.TrySetResult(e);
            foreach (var (origin, reply) in pending.Repeats ?? []) Duplicate(origin, reply, e);
            return;
        }
        Refuse(pending.Origin, pending.Reply, error, e.ClientId);
        pending.NoticeReply?.TrySetResult(null);
        foreach (var (origin, reply) in pending.Repeats ?? []) Refuse(origin, reply, error, e.ClientId);
    }

    /// <summary>Welcome, the replay and replayed, to a joining connection.</summary>
    public void Replay(RoomSubscriber subscriber, long lastId, List<StoredEvent> replay, long? since, bool truncated)
    {
        try
        {
            subscriber.Welcome(lastId);
            foreach (var e in replay) subscriber.Replay(e);
            subscriber.Replayed(replay.Count, replay.Count > 0 ? replay[^1].Id : since ?? 0, truncated);
        }
        catch (Exception ex) { log.SubscriberFailed(ex, subscriber, "replay"); }
    }

    public void Roster(RoomSubscriber subscriber, IReadOnlyList<string> names)
    {
        try { subscriber.Roster(names); }
        catch (Exception ex) { log.SubscriberFailed(ex, subscriber, "roster"); }
    }

    /// <summary>The echo of an event stored earlier, in an envelope of its own: repeated sends are rare.</summary>
    private void Echo(RoomSubscriber? origin, ChatEvent stored)
    {
        try { origin?.Deliver(new StoredEvent(stored), fromThisSubscriber: true); }
        catch (Exception ex) { log.SubscriberFailed(ex, origin!, "echo"); }
    }

    private void Refuse(RoomSubscriber? origin, ChatError error, string? clientId)
    {
        try { origin?.Refuse(error, clientId); }
        catch (Exception ex) { log.SubscriberFailed(ex, origin!, "refusal"); }
    }
}
