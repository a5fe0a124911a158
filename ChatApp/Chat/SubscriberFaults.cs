namespace ChatApp.Chat;

/// <summary>How the room logs a subscriber that threw: the loop goes on, and nobody else loses anything.</summary>
internal static class SubscriberFaults
{
    public static void SubscriberFailed(this ILogger log, Exception ex, RoomSubscriber subscriber, string what) =>
        log.LogError(ex, "A {Subscriber} of {User} failed in its {What}; the room goes on", subscriber.GetType().Name, subscriber.User.Name, what);
}
