namespace ChatApp.Accounts;

/// <summary>
/// Wrong passwords per name slow further attempts (PROTOCOL.md §1): in this process (<see cref="PasswordBackoff"/>)
/// or shared through Redis (<c>Scaleout/RedisPasswordBackoff</c>), chosen at start-up, with one schedule
/// (<see cref="PasswordBackoff.Wait"/>).
/// </summary>
public interface IPasswordBackoff
{
    /// <summary>Charges an attempt on <paramref name="key"/>; null when it may go ahead, else how long to wait.</summary>
    TimeSpan? TryBegin(string key);

    /// <summary>The attempt was right: the name's count starts again.</summary>
    void Succeeded(string key);
}
