namespace ChatApp.Chat;

public enum ChatEventKind
{
    Message,
    File,
    System,

    /// <summary>A new text for the author's own message <see cref="ChatEvent.Target"/> (PROTOCOL.md §2.4).</summary>
    Edit,

    /// <summary>The author deleted their own message or file <see cref="ChatEvent.Target"/>.</summary>
    Delete,
}
