namespace ChatApp.Chat;

/// <summary>
/// The room's sorted online names as subscribers see them during a roster call, with each wire format's frame
/// built once per change of presence and shared by every connection that joins meanwhile (a storm of tabs
/// would otherwise serialise the same list once per connection). Owned by the room loop.
/// </summary>
/// <remarks>
/// Beside the names it keeps the JSON of the list itself, the names' JSON strings joined by commas, changed in place
/// as a name comes or goes: a roster frame is then one copy of bytes. In a reconnect storm every join changes the
/// roster and every joining connection gets one, so the room builds one frame per connection; from a copy per
/// name (and a lookup of its JSON) that was a sixth of a 5,000-user storm's CPU.
/// </remarks>
public sealed class RosterView : IReadOnlyList<string>
{
    private readonly List<(object Format, int Version, byte[] Frame)> _frames = [];
    private (int Version, string[] Names) _snapshot = (-1, []);
    private readonly List<string> _names = [];

    // _names' JSON strings, quotes included, joined by commas; and each one's length in bytes.
    private byte[] _list = new byte[1024];
    private int _listLength;
    private readonly List<int> _lengths = [];

    /// <summary>A view listing <paramref name="names"/> in the order given.</summary>
    public RosterView(IEnumerable<string>? names = null)
    {
        foreach (var name in names ?? []) Insert(_names.Count, name);
        Version = 0;
    }

    /// <summary>Grows by one whenever someone comes or goes.</summary>
    internal int Version { get; private set; }

    public int Count => _names.Count;
    public string this[int index] => _names[index];
    public IEnumerator<string> GetEnumerator() => _names.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Where <paramref name="name"/> is listed, or (negative) the complement of where it would go, case ignored.</summary>
    internal int IndexOf(string name) => _names.BinarySearch(name, Names.Comparer);

    /// <summary>Lists <paramref name="name"/> at <paramref name="index"/>.</summary>
    internal void Insert(int index, string name)
    {
        var json = ChatEventJson.StringValue(name);
        // The first name alone; any other as "name," before the one now at index, or ",name" after the last.
        var at = _names.Count == 0 ? 0 : index < _names.Count ? Offset(index) : _listLength;
        var added = json.Length + (_names.Count == 0 ? 0 : 1);
        if (_listLength + added > _list.Length) Array.Resize(ref _list, Math.Max(_list.Length * 2, _listLength + added));
        _list.AsSpan(at, _listLength - at).CopyTo(_list.AsSpan(at + added));
        if (_names.Count == 0) json.CopyTo(_list, at);
        else if (index < _names.Count)
        {
            json.CopyTo(_list, at);
            _list[at + json.Length] = (byte)',';
        }
        else
        {
            _list[at] = (byte)',';
            json.CopyTo(_list, at + 1);
        }
        _listLength += added;
        _names.Insert(index, name);
        _lengths.Insert(index, json.Length);
        Version++;
    }

    /// <summary>Unlists the name at <paramref name="index"/>.</summary>
    internal void RemoveAt(int index)
    {
        var length = _lengths[index];
        // The only name alone; any other with the comma after it, or the last with the comma before it.
        var (at, removed) = _names.Count == 1 ? (0, length)
            : index < _names.Count - 1 ? (Offset(index), length + 1)
            : (Offset(index) - 1, length + 1);
        _list.AsSpan(at + removed, _listLength - at - removed).CopyTo(_list.AsSpan(at));
        _listLength -= removed;
        _names.RemoveAt(index);
        _lengths.RemoveAt(index);
        Version++;
    }

    /// <summary>Where the name at <paramref name="index"/> begins in the list's JSON.</summary>
    private int Offset(int index)
    {
        var offset = 0;
        for (var i = 0; i < index; i++) offset += _lengths[i] + 1;
        return offset;
    }

    /// <summary>The names' JSON strings joined by commas: what goes between a roster's brackets.</summary>
    internal ReadOnlySpan<byte> ListJson => _list.AsSpan(0, _listLength);

    /// <summary>
    /// A copy of the names for answers that leave the loop, made once per change of presence and shared: every
    /// page drawn meanwhile gets the same list, and the page caches its drawing of the list by it. Never changed.
    /// </summary>
    public IReadOnlyList<string> Snapshot()
    {
        if (_snapshot.Version != Version) _snapshot = (Version, [.. _names]);
        return _snapshot.Names;
    }

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
