using ChatApp.Diagnostics;

namespace ChatApp.Chat;

/// <summary>
/// The room's subscribers and the delivery of each stored event to them: every subscriber for a public event, only
/// the two parties' subscribers for a private one. Owned by the room loop; one subscriber's fault is logged and
/// costs nobody else the event.
/// </summary>
internal sealed class RoomFanOut(ChatMetrics metrics, ILogger log)
{
    private readonly List<RoomSubscriber> _subscribers = [];
    private readonly Dictionary<string, List<RoomSubscriber>> _subscribersByUser = new(Names.Comparer);

    public void Add(RoomSubscriber subscriber)
    {
        _subscribers.Add(subscriber);
        if (!_subscribersByUser.TryGetValue(subscriber.User.Name, out var mine)) _subscribersByUser[subscriber.User.Name] = mine = [];
        mine.Add(subscriber);
    }

    /// <summary>False when <paramref name="subscriber"/> was already gone.</summary>
    public bool Remove(RoomSubscriber subscriber)
    {
        if (!_subscribers.Remove(subscriber)) return false;
        var name = subscriber.User.Name;
        if (_subscribersByUser.TryGetValue(name, out var mine) && mine.Remove(subscriber) && mine.Count == 0)
            _subscribersByUser.Remove(name);
        return true;
    }

    /// <summary>Delivers a stored event to everyone entitled to it; <paramref name="origin"/> gets it as its echo.</summary>
    public void Deliver(StoredEvent stored, RoomSubscriber? origin)
    {
        var e = stored.Event;
        if (e.To is null)
        {
            foreach (var s in _subscribers)
            {
                try { s.Deliver(stored, s == origin); }
                catch (Exception ex) { log.SubscriberFailed(ex, s, "delivery"); }
            }
            metrics.Published(_subscribers.Count);
            return;
        }
        var recipients = DeliverTo(e.To, stored, origin);
        if (e.From is not null && !Names.Equal(e.From, e.To)) recipients += DeliverTo(e.From, stored, origin);
        metrics.Published(recipients);
    }

    /// <summary>
    /// Delivers a run of public events to every subscriber: as one item where the subscriber takes it so (it queues
    /// nothing when it fails), else event by event. Each gets them in order; one's fault costs no other anything.
    /// </summary>
    public void Deliver(StoredRun run)
    {
        if (run.Count == 1)
        {
            Deliver(run[0].Event, run[0].Origin);
            return;
        }
        foreach (var s in _subscribers)
        {
            try
            {
                if (s.DeliverRun(run)) continue;
            }
            catch (Exception ex) { log.SubscriberFailed(ex, s, "delivery"); } // then event by event: a bad event costs only itself
            for (var i = 0; i < run.Count; i++)
            {
                try { s.Deliver(run[i].Event, s == run[i].Origin); }
                catch (Exception ex) { log.SubscriberFailed(ex, s, "delivery"); }
            }
        }
        metrics.Published(_subscribers.Count, events: run.Count);
    }

    private int DeliverTo(string user, StoredEvent stored, RoomSubscriber? origin)
    {
        if (!_subscribersByUser.TryGetValue(user, out var subscribers)) return 0;
        var recipients = 0;
        foreach (var s in subscribers)
        {
            try
            {
                if (!stored.Event.IsVisibleTo(s.User)) continue;
                s.Deliver(stored, s == origin);
                recipients++;
            }
            catch (Exception ex) { log.SubscriberFailed(ex, s, "delivery"); }
        }
        return recipients;
    }

    /// <summary>The room's keep-alive, to every subscriber.</summary>
    public void Heartbeat()
    {
        foreach (var s in _subscribers)
        {
            try { s.Heartbeat(); }
            catch (Exception ex) { log.SubscriberFailed(ex, s, "heartbeat"); }
        }
    }
}
