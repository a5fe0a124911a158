using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ChatApp.Connections;

/// <summary>
/// Items kept for reuse by any thread, at most <paramref name="max"/> of them (more are left to the collector),
/// all of which can be let go at once when the server goes quiet.
/// </summary>
internal sealed class FreeList<T>(int max = int.MaxValue) where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool TryTake([MaybeNullWhen(false)] out T item)
    {
        if (!_items.TryDequeue(out item)) return false;
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Keeps <paramref name="item"/> for reuse unless <c>max</c> are kept already.</summary>
    public void Add(T item)
    {
        if (Interlocked.Increment(ref _count) > max) { Interlocked.Decrement(ref _count); return; }
        _items.Enqueue(item);
    }

    /// <summary>Lets every kept item go; returns how many went.</summary>
    public int Clear()
    {
        var dropped = 0;
        while (TryTake(out _)) dropped++;
        return dropped;
    }
}
