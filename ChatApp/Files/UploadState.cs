using ChatApp.Chat;

namespace ChatApp.Files;

/// <summary>
/// One connection's file uploads (PROTOCOL.md §2.2): a header, then exactly one binary frame of its size.
/// Knows which header the next binary frame belongs to, whether that frame is to be dropped (its header
/// was refused), checks the size, keeps the file, and forgets it when the room does not store it.
/// The connection only reads frames and routes them here.
/// </summary>
public sealed class UploadState(long maxFileBytes, DraftBuilder drafts, FileStore files) : IAsyncDisposable
{
    /// <summary>The accepted file header whose binary frame comes next.</summary>
    private FileUpload? _next;

    /// <summary>A refused header's binary frame is still coming: it is read and dropped without a second error.</summary>
    private bool _discardNext;

    /// <summary>A header: checked before any of its bytes; a header that never got its bytes is superseded (nothing of it was stored).</summary>
    public async ValueTask<ChatError?> BeginAsync(FileHeader header, CancellationToken cancellationToken = default)
    {
        if (_next is not null) await _next.DisposeAsync();
        _next = null;
        var (upload, error) = await FileUpload.BeginAsync(header, maxFileBytes, drafts, files, cancellationToken);
        _next = upload;
        _discardNext = error is not null;
        return error;
    }

    /// <summary>A binary frame starts: the upload its bytes go to (null: read and drop them), and the refusal to send, if any.</summary>
    public (FileUpload? Upload, ChatError? Error) StartBinary()
    {
        var (upload, refused) = (_next, _discardNext);
        (_next, _discardNext) = (null, false);
        if (upload is not null || refused) return (upload, null);
        return (null, ChatError.UnexpectedBinary);
    }

    /// <summary>The binary frame is complete: the file is kept and its draft returned, or it is refused size_mismatch.</summary>
    public static async Task<(PostDraft? Draft, ChatError? Error)> FinishAsync(FileUpload upload)
    {
        if (!upload.IsExact)
            return (null, ChatError.SizeMismatch with { Message = $"The binary frame has {upload.Received} bytes; the header declared {upload.Size}." });
        var key = await upload.KeepAsync();
        return (upload.Draft(key), null);
    }

    /// <summary>The room's answer for a kept file: refused or repeated, the file is not needed.</summary>
    public void Settle(PostDraft draft, PostResult result)
    {
        if ((result.Error is not null || result.Duplicate) && draft.FileKey is { } key) files.Forget(key);
    }

    public ValueTask DisposeAsync() => _next?.DisposeAsync() ?? ValueTask.CompletedTask;
}
