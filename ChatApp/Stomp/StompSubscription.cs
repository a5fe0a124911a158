namespace ChatApp.Stomp;

/// <summary>
/// A client's SUBSCRIBE: its id (echoed on every MESSAGE), which of the two destinations it is, and <see cref="Head"/>, the
/// start of every MESSAGE to it (command and <c>subscription</c> header): the only part of an event's frame that is its own.
/// </summary>
internal sealed record StompSubscription(string Id, bool IsTopic, byte[] Head);
