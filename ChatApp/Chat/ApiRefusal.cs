namespace ChatApp.Chat;

/// <summary>A refusal as the HTTP API writes it (<see cref="ApiError"/>): status, code and message.</summary>
public sealed record ApiRefusal(int Status, string Code, string Message);
