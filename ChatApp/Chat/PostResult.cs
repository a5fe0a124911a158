namespace ChatApp.Chat;

/// <summary>The stored event (new, or the earlier one for a repeated clientId), or the refusal.</summary>
public sealed record PostResult(ChatEvent? Event, ChatError? Error, bool Duplicate = false);
