namespace ChatApp.Chat;

/// <summary>
/// Frames kept by the part that differs between their recipients (a STOMP subscription's header, the key) for the next
/// recipient with an equal key. The two keys used last are kept: stompjs names a client's subscriptions <c>sub-0</c>, <c>sub-1</c>,
/// ... in the order it makes them, so a room's topic subscriptions are mostly one of two (the topic first, or after the
/// private queue); a third key builds anew, as it would without this, and replaces the one used longer ago. Owned by the room's loop.
/// </summary>
internal struct KeyedFrames
{
    private Kept? _latest, _before;

    public byte[]? Find(ReadOnlySpan<byte> key)
    {
        if (_latest is { } latest && latest.Key.AsSpan().SequenceEqual(key)) return latest.Frame;
        if (_before is not { } before || !before.Key.AsSpan().SequenceEqual(key)) return null;
        (_latest, _before) = (before, _latest);
        return before.Frame;
    }

    public byte[] Keep(byte[] key, byte[] frame)
    {
        _before = _latest;
        _latest = new Kept(key, frame);
        return frame;
    }

    public void Clear() => _latest = _before = null;

    private sealed record Kept(byte[] Key, byte[] Frame);
}
