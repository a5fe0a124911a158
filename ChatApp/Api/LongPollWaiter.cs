using ChatApp.Chat;

namespace ChatApp.Api;

/// <summary>
/// A waiting <c>GET /api/messages?wait=</c>: subscribed to the room only while nothing is there to return,
/// and woken by the first event its user may see. No thread waits; the request awaits <see cref="Woken"/>.
/// </summary>
public sealed class LongPollWaiter(ChatUser user) : RoomSubscriber(user)
{
    // Continuations run off the room loop, so waking a request never runs its response on the loop.
    private readonly TaskCompletionSource _woken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A long poll is not a visit: no join or part, not in the roster.</summary>
    public override bool IsPresence => false;

    public override bool WantsHistory => false;

    public Task Woken => _woken.Task;

    public override void Deliver(StoredEvent e, bool fromThisSubscriber)
    {
        if (e.Event.IsVisibleTo(User)) _woken.TrySetResult();
    }
}
