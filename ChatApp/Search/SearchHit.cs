using ChatApp.Chat;

namespace ChatApp.Search;

/// <summary>One search result: a visible message (current text) or file (by name), with its matches marked.</summary>
public sealed record SearchHit(long Id, DateTime Ts, ChatEventKind Kind, string? From, string? To, string Text, string? FileName, string SnippetHtml);
