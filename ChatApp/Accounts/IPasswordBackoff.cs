namespace ChatApp.Accounts;

/// <summary>
/// Wrong passwords per name slow further attempts (PROTOCOL.md §1): in this process (<see cref="PasswordBackoff"/>)
/// or shared through Redis (<c>Scaleout/RedisPasswordBackoff</c>), chosen at start-up, with one schedule
/// (<see cref="PasswordBackoff.Wait"/>). Asynchronous, as the shared one is a round trip.
/// </summary>
public interface IPasswordBackoff
{
    /// <summary>Charges an attempt on <paramref name="key"/>; null when it may go ahead, else how long to wait.</summary>
    ValueTask<TimeSpan?> TryBeginAsync(string key);

    /// <summary>The attempt was right: the name's count starts again.</summary>
    ValueTask SucceededAsync(string key);
}
