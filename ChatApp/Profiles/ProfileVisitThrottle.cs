using ChatApp.Accounts;
using ChatApp.Chat;

namespace ChatApp.Profiles;

/// <summary>
/// Repeat visits from one address to one profile within <see cref="Window"/> make one notice (PROTOCOL.md §3).
/// Counted by the <see cref="IWindowCounter"/>, so with Chat:Redis a repeat on another node is a repeat too.
/// </summary>
public sealed class ProfileVisitThrottle(IWindowCounter counter)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>True for the first visit of <paramref name="ip"/> to <paramref name="owner"/>'s profile in a window.</summary>
    public async Task<bool> ShouldNotifyAsync(string owner, string ip) =>
        (await counter.HitAsync($"visit:{Names.Key(owner)}:{ip}", Window)).Hits == 1;
}
