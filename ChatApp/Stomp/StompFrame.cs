namespace ChatApp.Stomp;

/// <summary>
/// One client frame (STOMP 1.2 §Frames): command, headers in arrival order (values already unescaped), body bytes.
/// <see cref="BodyTooLong"/> marks a frame whose body passed the body cap: it was read and dropped, not kept.
/// </summary>
public sealed record StompFrame(string Command, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool BodyTooLong = false)
{
    /// <summary>The header's value; when a header repeats, the first one wins (STOMP 1.2 §Repeated Header Entries).</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
            if (key == name) return value;
        return null;
    }
}
