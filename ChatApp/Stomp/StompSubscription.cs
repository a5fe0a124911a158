namespace ChatApp.Stomp;

/// <summary>A client's SUBSCRIBE: its id (echoed on every MESSAGE) and which of the two destinations it is.</summary>
internal sealed record StompSubscription(string Id, bool IsTopic);
