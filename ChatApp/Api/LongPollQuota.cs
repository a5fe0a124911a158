using ChatApp.Chat;

namespace ChatApp.Api;

/// <summary>Counts each user's waiting long polls, so one user cannot park unlimited requests on the room.</summary>
public sealed class LongPollQuota
{
    public const int MaxWaitersPerUser = 8;

    private readonly Dictionary<string, int> _waiting = new(Names.Comparer);
    private readonly Lock _lock = new();

    public bool TryEnter(string user)
    {
        lock (_lock)
        {
            var count = _waiting.GetValueOrDefault(user);
            if (count >= MaxWaitersPerUser) return false;
            _waiting[user] = count + 1;
            return true;
        }
    }

    /// <summary>How many of <paramref name="user"/>'s long polls are waiting now.</summary>
    public int Waiting(string user)
    {
        lock (_lock) return _waiting.GetValueOrDefault(user);
    }

    public void Exit(string user)
    {
        lock (_lock)
        {
            var count = _waiting.GetValueOrDefault(user) - 1;
            if (count <= 0) _waiting.Remove(user);
            else _waiting[user] = count;
        }
    }
}
