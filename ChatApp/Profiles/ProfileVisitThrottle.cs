using ChatApp.Accounts;
using ChatApp.Chat;

namespace ChatApp.Profiles;

/// <summary>
/// Repeat visits from one address to one profile within <see cref="Window"/> make one notice (PROTOCOL.md §3).
/// Counted by the <see cref="IWindowCounter"/>, so with Chat:Redis a repeat on another node is a repeat too.
/// While the counter's storage is unreachable no notice is made (it could not be stored either); the page still shows.
/// </summary>
public sealed class ProfileVisitThrottle(IWindowCounter counter, IEnumerable<IStorageOutage> outages)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>True for the first visit of <paramref name="ip"/> to <paramref name="owner"/>'s profile in a window.</summary>
    public async Task<bool> ShouldNotifyAsync(string owner, string ip, CancellationToken cancellationToken = default)
    {
        try { return (await counter.HitAsync($"visit:{Names.Key(owner)}:{ip}", Window, cancellationToken)).Hits == 1; }
        catch (Exception e) when (IStorageOutage.Any(outages, e)) { return false; }
    }
}
