using System.Text.Json;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

/// <summary>Reading a scaled chat's live stream up to a marker message, so absence is proven by what came before it.</summary>
internal static class ScaledFrames
{
    /// <summary>Every event frame (anything with an id) up to and including the message whose text is <paramref name="marker"/>.</summary>
    public static async Task<List<JsonElement>> UntilAsync(this TestSocket socket, string marker)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var (json, _) = await socket.ReceiveAsync();
            if (json is not { } frame || !frame.TryGetProperty("id", out _)) continue;
            events.Add(frame);
            if (TestSocket.Type(frame) == "message" && frame.GetProperty("text").GetString() == marker) return events;
        }
    }

    /// <summary>Every event frame up to the point where all of <paramref name="markers"/> (message texts) have come.</summary>
    public static async Task<List<JsonElement>> UntilAllAsync(this TestSocket socket, params string[] markers)
    {
        var events = new List<JsonElement>();
        var missing = new HashSet<string>(markers);
        while (missing.Count > 0)
        {
            var (json, _) = await socket.ReceiveAsync();
            if (json is not { } frame || !frame.TryGetProperty("id", out _)) continue;
            events.Add(frame);
            if (TestSocket.Type(frame) == "message") missing.Remove(frame.GetProperty("text").GetString()!);
        }
        return events;
    }

    public static long Id(this JsonElement frame) => frame.GetProperty("id").GetInt64();

    public static string? Text(this JsonElement frame) => frame.TryGetProperty("text", out var text) ? text.GetString() : null;

    /// <summary>"join ann", "part bob": the presence notices among <paramref name="frames"/>.</summary>
    public static List<string> Notices(this IEnumerable<JsonElement> frames) =>
        frames.Where(f => TestSocket.Type(f) == "system" && f.GetProperty("event").GetString() is "join" or "part")
            .Select(f => $"{f.GetProperty("event").GetString()} {f.GetProperty("user").GetString()}").ToList();
}
