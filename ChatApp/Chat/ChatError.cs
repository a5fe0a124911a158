namespace ChatApp.Chat;

/// <summary>A refusal of a client's frame or request (PROTOCOL.md §2.2); nothing is stored.</summary>
public sealed record ChatError(string Code, string Message)
{
    public static readonly ChatError BadFrame = new("bad_frame", "The frame is not a known client frame.");
    public static readonly ChatError Empty = new("empty", "The message is empty.");
    public static readonly ChatError UnknownUser = new("unknown_user", "No user has that name.");
    public static readonly ChatError RateLimited = new("rate_limited", "Too many messages; wait a moment.");
    public static readonly ChatError UnexpectedBinary = new("unexpected_binary", "A binary frame came without a file header before it.");
    public static readonly ChatError NotFound = new("not_found", "There is no such message.");
    public static readonly ChatError NotYours = new("not_yours", "Only its author may change that message.");
    public static readonly ChatError NotEditable = new("bad_frame", "Only messages can be edited.");
    public static readonly ChatError SizeMismatch = new("size_mismatch", "The binary frame is not of the declared size.");

    public static readonly ChatError StorageUnavailable = new("storage_unavailable", "The message could not be stored; try again later.");

    public static ChatError TooLong(int max) => new("too_long", $"The message is longer than {max} characters.");
    public static ChatError TooLarge(long max) => new("too_large", $"The file is larger than {max} bytes.");

    /// <summary>The HTTP status the same refusal has over HTTP.</summary>
    public int HttpStatus => Code switch
    {
        "unknown_user" or "not_found" => StatusCodes.Status404NotFound,
        "not_yours" => StatusCodes.Status403Forbidden,
        "too_large" => StatusCodes.Status413PayloadTooLarge,
        "rate_limited" => StatusCodes.Status429TooManyRequests,
        "storage_unavailable" => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };
}
