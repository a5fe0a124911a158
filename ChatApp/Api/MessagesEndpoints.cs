using System.Buffers;
using System.Globalization;
using ChatApp.Accounts;
using ChatApp.Chat;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatApp.Api;

/// <summary><c>/api/roster</c> and <c>/api/messages</c> (PROTOCOL.md §3): the chat for clients that speak plain HTTP.</summary>
public static class MessagesEndpoints
{
    private const int MaxWaitSeconds = 60;

    public static IServiceCollection AddMessagesApi(this IServiceCollection services) =>
        services.AddSingleton<LongPollQuota>();

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/roster", async (HttpContext http, ChatRoom room) =>
            new Utf8JsonResult(ChatEventJson.Roster(await room.RosterAsync(http.RequestAborted), type: null))).RequireAuthorization();

        app.MapGet("/api/messages", ReadAsync).RequireAuthorization();
        var postBodyBytes = Limits.MessageBodyBytes(app.ServiceProvider.GetRequiredService<IOptions<ChatOptions>>().Value);
        app.MapPost("/api/messages", PostAsync).RequireAuthorization().WithMetadata(new RequestSizeLimitAttribute(postBodyBytes));
        app.MapPatch("/api/messages/{id:long}", EditAsync).RequireAuthorization().WithMetadata(new RequestSizeLimitAttribute(postBodyBytes));
        app.MapDelete("/api/messages/{id:long}", DeleteAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> ReadAsync(HttpContext http, ChatRoom room, LongPollQuota quota, IOptions<ChatOptions> options, TimeProvider clock)
    {
        var user = http.ChatUser()!;
        var query = http.Request.Query;
        var maxReplay = options.Value.MaxReplay;
        if (!TryNumber(query["since"], 0, out var since)
            || !TryNumber(query["limit"], maxReplay, out var limit) || limit < 1
            || !TryNumber(query["wait"], 0, out var wait))
            return Error(StatusCodes.Status400BadRequest, "bad_request", "since, limit and wait must be whole numbers; limit at least 1.");
        var count = (int)Math.Min(limit, maxReplay);
        var aborted = http.RequestAborted;

        if (query.ContainsKey("before"))
        {
            // Paging backward (scrollback) is a plain read: it neither waits nor starts after an id.
            if (!TryNumber(query["before"], 0, out var before) || query.ContainsKey("since") || query.ContainsKey("wait"))
                return Error(StatusCodes.Status400BadRequest, "bad_request", "before must be a whole number, and cannot be combined with since or wait.");
            return Events(await room.ReadBeforeAsync(user, before, count, aborted));
        }

        if (wait == 0) return Events(await room.ReadAsync(user, since, count, cancellationToken: aborted));

        if (!quota.TryEnter(user.Name))
            return Error(StatusCodes.Status429TooManyRequests, "too_many_waiters", $"At most {LongPollQuota.MaxWaitersPerUser} long polls may wait at once per user.");
        var waiter = new LongPollWaiter(user);
        try
        {
            // Subscribes the waiter in the same room step that found nothing, so no event slips between.
            var events = await room.ReadAsync(user, since, count, waiter, aborted);
            if (events.Count > 0) return Events(events);
            try { await waiter.Woken.WaitAsync(TimeSpan.FromSeconds(Math.Min(wait, MaxWaitSeconds)), clock, aborted); }
            catch (TimeoutException) { }
            // Read again rather than answer with the waking event, so order and limit follow the same rule.
            return Events(await room.ReadAsync(user, since, count, cancellationToken: aborted));
        }
        finally
        {
            await room.LeaveAsync(waiter);
            quota.Exit(user.Name);
        }
    }

    private static async Task<IResult> PostAsync(HttpContext http, ChatRoom room, DraftBuilder drafts, IOptions<ChatOptions> options)
    {
        var user = http.ChatUser()!;
        // JSON-escaped text can take up to six bytes a character; more than that is refused unread, as on /ws.
        var maxBodyBytes = Limits.MessageBodyBytes(options.Value);
        var body = await ReadBodyAsync(http.Request, maxBodyBytes, http.RequestAborted);
        if (body is not { } utf8) return Refusal(http, ChatError.TooLong(options.Value.MaxMessageLength), null);

        var (request, badFrame) = MessageRequest.Parse(utf8);
        if (badFrame is not null) return Refusal(http, badFrame, request?.ClientId);
        var (draft, refusal) = await drafts.MessageAsync(request!.Text, request.To, request.ClientId, http.RequestAborted);
        if (refusal is not null) return Refusal(http, refusal, request.ClientId);

        var result = await room.PostAndWaitAsync(user, draft!, cancellationToken: http.RequestAborted);
        if (result.Error is { } error) return Refusal(http, error, request.ClientId);
        // A repeated clientId answers with the event stored the first time, exactly as the first answer.
        return new Utf8JsonResult(ChatEventJson.Event(result.Event!), StatusCodes.Status201Created);
    }

    /// <summary><c>PATCH /api/messages/{id}</c> <c>{"text","clientId"?}</c>: a new text for one's own message; 200 with the edit event.</summary>
    private static async Task<IResult> EditAsync(long id, HttpContext http, ChatRoom room, DraftBuilder drafts, IOptions<ChatOptions> options)
    {
        var maxBodyBytes = Limits.MessageBodyBytes(options.Value);
        var body = await ReadBodyAsync(http.Request, maxBodyBytes, http.RequestAborted);
        if (body is not { } utf8) return Refusal(http, ChatError.TooLong(options.Value.MaxMessageLength), null);
        var (request, badFrame) = MessageRequest.Parse(utf8);
        if (badFrame is not null) return Refusal(http, badFrame, null);
        var (draft, refusal) = await drafts.EditAsync(id, request!.Text, request.ClientId, http.RequestAborted);
        if (refusal is not null) return Refusal(http, refusal, request.ClientId);
        return Stored(http, await room.PostAndWaitAsync(http.ChatUser()!, draft!, cancellationToken: http.RequestAborted), request.ClientId);
    }

    /// <summary><c>DELETE /api/messages/{id}</c>: deletes one's own message or file; 200 with the delete event.</summary>
    private static async Task<IResult> DeleteAsync(long id, HttpContext http, ChatRoom room, DraftBuilder drafts) =>
        Stored(http, await room.PostAndWaitAsync(http.ChatUser()!, drafts.Delete(id, null), cancellationToken: http.RequestAborted), null);

    private static IResult Stored(HttpContext http, PostResult result, string? clientId) =>
        result.Error is { } error ? Refusal(http, error, clientId) : new Utf8JsonResult(ChatEventJson.Event(result.Event!));

    /// <summary>Visible events as a JSON array of the same objects the WebSocket sends (files with <c>binary:false</c>: fetch their url).</summary>
    private static IResult Events(IReadOnlyList<ChatEvent> events) =>
        new Utf8JsonResult(ChatEventJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var e in events) ChatEventJson.WriteEvent(w, e);
            w.WriteEndArray();
        }));

    /// <summary>The refusal in the API's shape; <c>storage_unavailable</c> says when to try again, as every 503 of the API does (docs/protocol.md §3).</summary>
    private static IResult Refusal(HttpContext http, ChatError error, string? clientId)
    {
        if (error.Code == ChatError.StorageUnavailable.Code) http.Response.Headers.RetryAfter = StorageOutageAnswers.RetryAfterSeconds;
        return ApiError.Result(error, clientId);
    }

    private static IResult Error(int status, string code, string message) => ApiError.Result(status, code, message);

    /// <summary>An absent parameter takes <paramref name="absent"/>; a present one must be a non-negative whole number.</summary>
    private static bool TryNumber(string? text, long absent, out long value)
    {
        if (string.IsNullOrEmpty(text)) { value = absent; return true; }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes, 4096));
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(1024), cancellationToken);
                if (read == 0) return buffer.WrittenMemory;
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes) return null;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null; // Kestrel's cap for this endpoint (the same size) met first
        }
    }
}
