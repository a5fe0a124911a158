namespace ChatApp.Chat;

public enum ChatEventKind
{
    Message,
    File,
    System,
}
