namespace ChatApp.Chat;

/// <summary>
/// Tells whether an exception means the storage behind a request is unreachable or refusing writes right now
/// (a locked or full database, Redis down), as opposed to a bug: the answer is then a 503 <c>storage_unavailable</c>,
/// not a 500. Each back end registers its own (SQLite always, Redis when scaled out).
/// </summary>
public interface IStorageOutage
{
    bool IsOutage(Exception exception);

    /// <summary>True when <paramref name="exception"/> or anything it wraps is an outage by one of <paramref name="outages"/>.</summary>
    static bool Any(IEnumerable<IStorageOutage> outages, Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (outages.Any(o => o.IsOutage(e))) return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(inner => Any(outages, inner))) return true;
        }
        return false;
    }
}
