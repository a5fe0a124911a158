using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ChatApp.Tests.Infrastructure;

/// <summary>JSON requests for the HTTP API tests: the status and the parsed body (null when the body is not JSON).</summary>
public static class HttpJson
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (response.StatusCode, await BodyAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(this HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        return (response.StatusCode, await BodyAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PatchJsonAsync(this HttpClient client, string url, object body)
    {
        using var response = await client.PatchAsJsonAsync(url, body);
        return (response.StatusCode, await BodyAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> DeleteJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.DeleteAsync(url);
        return (response.StatusCode, await BodyAsync(response));
    }

    /// <summary>Posts <paramref name="raw"/> as it is, for malformed bodies.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(this HttpClient client, string url, string raw)
    {
        using var content = new StringContent(raw, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(url, content);
        return (response.StatusCode, await BodyAsync(response));
    }

    /// <summary>Reads <c>/api/messages</c> and checks it answered 200 with an array.</summary>
    public static async Task<List<JsonElement>> MessagesAsync(this HttpClient client, string query = "")
    {
        var (status, body) = await client.GetJsonAsync($"/api/messages{query}");
        Assert.True(status == HttpStatusCode.OK, $"GET /api/messages{query}: {(int)status} {body}");
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        return body.EnumerateArray().ToList();
    }

    public static string? Text(this JsonElement e, string field) =>
        e.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(text).RootElement.Clone(); }
        catch (JsonException) { return JsonDocument.Parse(JsonSerializer.Serialize(text)).RootElement.Clone(); }
    }
}
