using System.Globalization;
using ChatApp.Accounts;
using ChatApp.Api;
using ChatApp.Chat;

namespace ChatApp.Search;

/// <summary><c>GET /api/search?q=&amp;limit=</c> (PROTOCOL.md §3): the reader's visible messages and files matching all the words, newest first.</summary>
public static class SearchEndpoints
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    public static IServiceCollection AddSearch(this IServiceCollection services) => services.AddSingleton<SearchStore>();

    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", SearchAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, SearchStore search)
    {
        var reader = http.ChatUser()!;
        var query = http.Request.Query;
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
            return Refusal(new ChatError("bad_request", "limit must be a whole number, at least 1."));
        var (match, error) = SearchQuery.Parse(query["q"]);
        if (error is not null) return Refusal(error);
        var hits = await search.SearchAsync(reader, match!, Math.Min(limit, MaxLimit), http.RequestAborted);
        return new Utf8JsonResult(ChatEventJson.Build(w =>
        {
            w.WriteStartArray();
            foreach (var hit in hits)
            {
                w.WriteStartObject();
                w.WriteString("type", hit.Kind == ChatEventKind.File ? "file" : "message");
                w.WriteNumber("id", hit.Id);
                w.WriteString("ts", ChatEventJson.FormatTime(hit.Ts));
                w.WriteString("from", hit.From);
                if (hit.To is not null) w.WriteString("to", hit.To);
                if (hit.Kind == ChatEventKind.File) w.WriteString("name", hit.FileName);
                else w.WriteString("text", hit.Text);
                w.WriteString("snippet", hit.SnippetHtml);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private static IResult Refusal(ChatError error) => ApiError.Result(error);
}
