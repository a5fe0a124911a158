namespace ChatApp.Chat;

/// <summary>
/// Every size limit a client can run into, in one place: the endpoints, the pages (which render them as
/// attributes for the script) and the protocol checks all read them from here.
/// </summary>
public static class Limits
{
    public const int MaxNameLength = 32;
    public const int MaxPasswordLength = 256;

    /// <summary>Characters in a <c>clientId</c> (PROTOCOL.md §2.2).</summary>
    public const int MaxClientIdLength = 64;

    /// <summary>Bytes in a <c>POST /api/session</c> or <c>/api/account/password</c> body: a name and a password, JSON-escaped, with room to spare.</summary>
    public const int AccountBodyBytes = 4 * 1024;

    /// <summary>Bytes in a JSON message body: JSON-escaped text can take six bytes a character, plus the other fields.</summary>
    public static int MessageBodyBytes(ChatOptions options) => options.MaxMessageLength * 6 + 4096;

    /// <summary>Bytes in a page's form post: URL-encoded text can take nine bytes a character (%XX for each UTF-8 byte), plus the other fields.</summary>
    public static int FormBodyBytes(ChatOptions options) => options.MaxMessageLength * 9 + 8192;
}
