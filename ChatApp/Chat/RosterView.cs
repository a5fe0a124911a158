namespace ChatApp.Chat;

/// <summary>
/// The room's sorted online names as subscribers see them during a roster call, with each wire format's frame
/// built once per change of presence and shared by every connection that joins meanwhile (a storm of tabs
/// would otherwise serialise the same list once per connection). Owned by the room loop.
/// </summary>
public sealed class RosterView(List<string> names) : IReadOnlyList<string>
{
    private readonly List<(object Format, int Version, byte[] Frame)> _frames = [];

    // Each listed name as a JSON string, so a roster frame is a copy of bytes (ChatEventJson.Roster); dropped with the name.
    private readonly Dictionary<string, byte[]> _json = new(StringComparer.Ordinal);

    /// <summary>Grows by one whenever someone comes or goes.</summary>
    internal int Version { get; set; }

    public int Count => names.Count;
    public string this[int index] => names[index];
    public IEnumerator<string> GetEnumerator() => names.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The name at <paramref name="index"/> as a JSON string value, quotes included.</summary>
    internal byte[] JsonOf(int index)
    {
        var name = names[index];
        if (!_json.TryGetValue(name, out var json)) _json[name] = json = ChatEventJson.StringValue(name);
        return json;
    }

    /// <summary>The name is no longer listed: its JSON goes too.</summary>
    internal void Unlisted(string name) => _json.Remove(name);

    /// <summary>The roster framed by <paramref name="build"/> (one per wire format, the delegate being its key), built only when presence changed since.</summary>
    public byte[] Frame(Func<IReadOnlyList<string>, byte[]> build)
    {
        for (var i = 0; i < _frames.Count; i++)
        {
            if (!ReferenceEquals(_frames[i].Format, build)) continue;
            if (_frames[i].Version != Version) _frames[i] = (build, Version, build(this));
            return _frames[i].Frame;
        }
        var frame = build(this);
        _frames.Add((build, Version, frame));
        return frame;
    }
}
