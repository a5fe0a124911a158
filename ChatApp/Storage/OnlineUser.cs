namespace ChatApp.Storage;

/// <summary>
/// A row of the OnlineUsers table: a user whose latest stored presence notice is a join, kept by the writer in the
/// transaction of the join and part notices themselves (<see cref="OnlineUsers"/>). After a restart or a crash they are
/// the users whose connections the process's end closed: the room gives them the presence grace again.
/// </summary>
public sealed class OnlineUser
{
    /// <summary>The name as compared (<c>Names.Key</c>).</summary>
    public string NameKey { get; set; } = "";

    /// <summary>The name as shown.</summary>
    public string Name { get; set; } = "";
}
