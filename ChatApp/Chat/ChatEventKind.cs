namespace ChatApp.Chat;

/// <summary>The archive stores each kind as its number (Storage/ChatDbContext.cs): a number never changes meaning.</summary>
public enum ChatEventKind
{
    Message = 0,
    File = 1,
    System = 2,

    /// <summary>A new text for the author's own message <see cref="ChatEvent.Target"/> (PROTOCOL.md §2.4).</summary>
    Edit = 3,

    /// <summary>The author deleted their own message or file <see cref="ChatEvent.Target"/>.</summary>
    Delete = 4,
}
