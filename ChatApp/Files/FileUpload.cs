using ChatApp.Chat;

namespace ChatApp.Files;

/// <summary>
/// A file whose header was accepted and whose binary frame is expected or arriving. The bytes go
/// straight to a temporary file, never to memory; disposing an upload that was not kept deletes it.
/// </summary>
public sealed class FileUpload : IAsyncDisposable
{
    public const int MaxNameLength = 255;
    private const int MaxContentTypeLength = 127;
    private const string UnknownContentType = "application/octet-stream";

    private readonly FileStore _store;
    private readonly string _incomingPath;
    private FileStream? _file;
    private bool _kept;

    private FileUpload(FileStore store, string name, string contentType, long size, string? to, string? clientId)
    {
        _store = store;
        _incomingPath = store.NewIncomingPath();
        Name = name;
        ContentType = contentType;
        Size = size;
        To = to;
        ClientId = clientId;
    }

    public string Name { get; }
    public string ContentType { get; }
    public long Size { get; }
    public string? To { get; }
    public string? ClientId { get; }

    /// <summary>Bytes of the binary frame seen so far, kept or not.</summary>
    public long Received { get; private set; }

    /// <summary>Whether exactly the declared number of bytes arrived.</summary>
    public bool IsExact => Received == Size;

    /// <summary>Checks a file header (PROTOCOL.md §2.2) before any of its bytes are read.</summary>
    public static async ValueTask<(FileUpload? Upload, ChatError? Error)> BeginAsync(
        FileHeader header, long maxFileBytes, DraftBuilder drafts, FileStore store, CancellationToken cancellationToken)
    {
        var name = CleanName(header.Name);
        if (name.Length == 0) return (null, ChatError.BadFrame with { Message = "A file header needs a name." });
        if (name.Length > MaxNameLength) return (null, ChatError.BadFrame with { Message = $"The file name is longer than {MaxNameLength} characters." });
        // ClientFrame reads a missing size as 0; an empty file has nothing to share either.
        if (header.Size <= 0) return (null, ChatError.BadFrame with { Message = "A file header needs a size of at least one byte." });
        if (header.Size > maxFileBytes) return (null, ChatError.TooLarge(maxFileBytes));
        var (recipient, error) = await drafts.RecipientAsync(header.To, cancellationToken);
        if (error is not null) return (null, error);
        return (new FileUpload(store, name, CleanContentType(header.ContentType), header.Size, recipient, header.ClientId), null);
    }

    /// <summary>Appends a piece of the binary frame; bytes beyond the declared size are counted, not stored.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var room = Size - Received;
        Received += bytes.Length;
        if (room <= 0) return;
        if (bytes.Length > room) bytes = bytes[..(int)room];
        // No FileStream buffer: the pieces are already as large as the receive buffer.
        _file ??= new FileStream(_incomingPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
            PreallocationSize = Size,
        });
        await _file.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Moves the complete file into the store and returns its key; from here the caller owns the stored file.</summary>
    public async Task<string> KeepAsync()
    {
        if (!IsExact || _file is null) throw new InvalidOperationException("Only a complete upload can be kept.");
        await _file.DisposeAsync();
        _file = null;
        var key = _store.Keep(_incomingPath);
        _kept = true;
        return key;
    }

    /// <summary>What the room is asked to store once the bytes are in place.</summary>
    public PostDraft Draft(string fileKey) =>
        new(ChatEventKind.File, Text: Name, Html: null, To, ClientId, Name, ContentType, Size, fileKey);

    public async ValueTask DisposeAsync()
    {
        if (_file is not null) await _file.DisposeAsync();
        _file = null;
        if (!_kept) FileStore.TryDelete(_incomingPath);
    }

    /// <summary>The name is display text only; control characters would break headers and pages that show it.</summary>
    private static string CleanName(string? name)
    {
        if (name is null) return "";
        return string.Create(name.Length, name, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = char.IsControl(source[i]) ? '_' : source[i];
        }).Trim();
    }

    private static string CleanContentType(string? declared)
    {
        var type = declared?.Trim();
        if (string.IsNullOrEmpty(type) || type.Length > MaxContentTypeLength || !type.Contains('/')
            || type.Any(c => char.IsControl(c) || c > '~'))
            return UnknownContentType;
        return type;
    }
}
