namespace ChatApp.Scaleout;

/// <summary>What the append script did: stored a new event, found the one a repeated clientId stored, or refused it.</summary>
public readonly record struct AppendResult(AppendOutcome Outcome, long Id, string? StoredJson = null);

public enum AppendOutcome
{
    Stored = 1,
    Duplicate = 2,
    RateLimited = 3,
}
