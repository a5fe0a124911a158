namespace ChatApp.Files;

/// <summary>A file header's fields as the client sent them (PROTOCOL.md §2.2), whatever transport carried them.</summary>
public sealed record FileHeader(string? Name, string? ContentType, long Size, string? To, string? ClientId);
