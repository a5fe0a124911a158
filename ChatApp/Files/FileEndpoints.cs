using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.Net.Http.Headers;

namespace ChatApp.Files;

/// <summary><c>GET /files/{id}</c> (PROTOCOL.md §3): a shared file's bytes, for the users entitled to its event.</summary>
public static class FileEndpoints
{
    /// <summary>Served bytes never run as a page of this site: not sniffed into HTML, and sandboxed if opened directly.</summary>
    private const string ContentSecurityPolicy = "sandbox";
    private const string NotImage = "application/octet-stream";

    // Declared types passed on as they are: passive documents a browser or the reader's apps open safely from a
    // download. Anything else (HTML, SVG, scripts) is served as plain bytes.
    private static readonly HashSet<string> PassiveTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "application/zip", "text/plain", "text/csv", "audio/mpeg", "audio/ogg", "video/mp4", "video/webm",
    };

    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        // Built now, not on the first upload: it sweeps away uploads a crash cut off.
        var files = app.ServiceProvider.GetRequiredService<FileStore>();
        // A deleted file's bytes go once its deletion is stored (PROTOCOL.md §2.4); its url answers 410 from then on.
        // Unlinked on the thread pool: the room's loop calls this and must not wait on the disk (a shared volume, say).
        app.ServiceProvider.GetRequiredService<ChatRoom>().FileDeleted = key => ThreadPool.QueueUserWorkItem(files.Forget, key, preferLocal: false);
        app.MapGet("/files/{id:long}", ServeAsync);
        return app;
    }

    private static async Task<IResult> ServeAsync(long id, HttpContext http, EventStore events, ChatRoom room, FileStore files, CancellationToken cancellationToken)
    {
        if (http.ChatUser() is not { } user) return ApiError.Result(StatusCodes.Status401Unauthorized, "unauthorized", "Sign in first (session cookie or bearer token).");
        var e = await FindAsync(id, user, events, room, cancellationToken);
        if (e is { Kind: ChatEventKind.File, Deleted: true } && e.IsVisibleTo(user))
            return ApiError.Result(StatusCodes.Status410Gone, "gone", "Its sender deleted this file.");
        // Someone else's private file is answered exactly like a missing one: its existence is private too.
        if (e is not { Kind: ChatEventKind.File } || !e.IsVisibleTo(user) || files.PathOf(e.FileKey) is not { } path || !File.Exists(path))
            return ApiError.Result(StatusCodes.Status404NotFound, "not_found", "No such file.");

        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.CacheControl = "private, no-cache";
        var entityTag = new EntityTagHeaderValue($"\"{id}\"");
        var lastModified = new DateTimeOffset(DateTime.SpecifyKind(e.Ts, DateTimeKind.Utc));
        var name = e.FileName ?? $"file-{id}";

        if (await ImageSniffer.DetectAsync(path, cancellationToken) is { } imageType)
        {
            var inline = new ContentDispositionHeaderValue("inline");
            inline.SetHttpFileName(name);
            headers.ContentDisposition = inline.ToString();
            return Results.File(path, imageType, lastModified: lastModified, entityTag: entityTag, enableRangeProcessing: true);
        }
        // fileDownloadName makes it "attachment" with filename and filename* (RFC 6266, RFC 5987).
        var type = e.ContentType is { } declared && PassiveTypes.Contains(declared) ? declared.ToLowerInvariant() : NotImage;
        return Results.File(path, type, fileDownloadName: name, lastModified: lastModified, entityTag: entityTag, enableRangeProcessing: true);
    }

    /// <summary>The event from the database, or from the room when the writer has not stored it yet (a link followed the moment it arrived).</summary>
    private static async Task<ChatEvent?> FindAsync(long id, ChatUser user, EventStore events, ChatRoom room, CancellationToken cancellationToken)
    {
        if (id <= 0) return null;
        if (await events.FindAsync(id, cancellationToken) is { } stored) return stored;
        if (id > room.LastId) return null;
        var recent = await room.ReadAsync(user, id - 1, 1, cancellationToken: cancellationToken);
        return recent.Count > 0 && recent[0].Id == id ? recent[0] : null;
    }
}
