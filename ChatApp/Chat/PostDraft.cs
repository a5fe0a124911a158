namespace ChatApp.Chat;

/// <summary>
/// A validated message or file a user asks the room to store and deliver; the room adds id and time.
/// <see cref="To"/> is already the recipient's name as claimed; <see cref="Html"/> is already rendered (off the room's loop).
/// </summary>
public sealed record PostDraft(
    ChatEventKind Kind,
    string Text,
    string? Html,
    string? To,
    string? ClientId,
    string? FileName = null,
    string? ContentType = null,
    long FileSize = 0,
    string? FileKey = null,
    long? Target = null,
    string[]? Mentions = null);
