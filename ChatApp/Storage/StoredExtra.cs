using System.Text.Json;
using System.Text.Json.Serialization;
using ChatApp.Chat;

namespace ChatApp.Storage;

/// <summary>
/// What most events leave empty, kept as one JSON object in the row's Extra column, null when all of it is empty (a plain
/// message): a column each would cost every row a byte of record header, and rows are most of the archive. Reads filter
/// on none of it; the search index's view reads a file's name ("fn") from here (Migrations/*_LeanEvents.cs). Names are
/// short, as on the bus (Scaleout/BusEventCodec.cs). A message's or edit's rendering is stored only when it is not the
/// plain paragraph of its text (<see cref="StoredHtml"/>); <see cref="NoHtml"/> marks one that has none at all.
/// </summary>
internal sealed record StoredExtra(
    [property: JsonPropertyName("h")] string? Html = null,
    [property: JsonPropertyName("nh")] bool NoHtml = false,
    [property: JsonPropertyName("se")] string? SystemEvent = null,
    [property: JsonPropertyName("u")] string? User = null,
    [property: JsonPropertyName("ip")] string? Ip = null,
    [property: JsonPropertyName("fn")] string? FileName = null,
    [property: JsonPropertyName("ct")] string? ContentType = null,
    [property: JsonPropertyName("fs")] long FileSize = 0,
    [property: JsonPropertyName("fk")] string? FileKey = null,
    [property: JsonPropertyName("ed")] long? Edited = null,
    [property: JsonPropertyName("m")] string[]? Mentions = null)
{
    private static readonly StoredExtra Empty = new();

    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
        // '<', '>' and '&' need no escaping in a column; escaped, every stored rendering would grow.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Whether an event of <paramref name="kind"/> has a rendering of its text: messages and edits, until deleted.</summary>
    public static bool Renders(ChatEventKind kind, bool deleted) => !deleted && kind is ChatEventKind.Message or ChatEventKind.Edit;

    /// <summary>The Extra column of <paramref name="e"/>: null when it has nothing beyond the columns.</summary>
    public static string? Of(ChatEvent e)
    {
        var html = e.Html;
        var noHtml = false;
        if (Renders(e.Kind, e.Deleted))
        {
            if (html is null) noHtml = true;
            else if (StoredHtml.IsParagraphOf(e.Text, html)) html = null;
        }
        var extra = new StoredExtra(html, noHtml, e.SystemEvent, e.User, e.Ip, e.FileName, e.ContentType, e.FileSize, e.FileKey,
            e.Edited is { } edited ? UnixMilliseconds.Of(edited) : null, e.Mentions);
        return extra == Empty ? null : JsonSerializer.Serialize(extra, Options);
    }

    public static StoredExtra Parse(string? json) =>
        json is null ? Empty : JsonSerializer.Deserialize<StoredExtra>(json, Options) ?? throw new JsonException("Events.Extra holds null.");

    /// <summary>The rendering of an event with this <paramref name="text"/> (null when deleted) and kind.</summary>
    public string? HtmlFor(ChatEventKind kind, string? text) =>
        Html ?? (text is not null && Renders(kind, deleted: false) && !NoHtml ? StoredHtml.ParagraphOf(text) : null);
}
