using System.Security.Cryptography;
using System.Text.Json;

namespace ChatApp.Tests.Infrastructure;

/// <summary>Sharing files over <c>/ws</c> (PROTOCOL.md §2.2) and looking at what the server keeps of them.</summary>
public static class FileSharing
{
    /// <summary>Sends a file header and then its bytes as one (fragmented) binary message.</summary>
    public static async Task SendFileAsync(this TestSocket socket, string name, string contentType, byte[] bytes,
        string? to = null, string? clientId = null, long? declaredSize = null)
    {
        await socket.SendJsonAsync(new { type = "file", name, contentType, size = declaredSize ?? bytes.LongLength, to, clientId });
        await socket.SendBinaryAsync(bytes);
    }

    /// <summary>Waits for the file event named <paramref name="name"/>; when it says binary:true, reads the binary frame behind it.</summary>
    public static async Task<(JsonElement Event, byte[]? Bytes)> ReceiveFileAsync(this TestSocket socket, string name, TimeSpan? timeout = null)
    {
        var file = await socket.ExpectAsync("file", f => f.GetProperty("name").GetString() == name, timeout ?? TimeSpan.FromSeconds(60));
        if (!file.GetProperty("binary").GetBoolean()) return (file, null);
        var (json, bytes) = await socket.ReceiveAsync(TimeSpan.FromSeconds(60));
        Assert.True(bytes is not null, $"expected the file's binary frame right after its event, got {json}");
        return (file, bytes);
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>A tiny but valid 1×1 PNG.</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    public static string[] StoredFiles(this ChatServer server) => ListFiles(Path.Combine(server.DataDir, "files"));

    public static string[] IncomingFiles(this ChatServer server) => ListFiles(Path.Combine(server.DataDir, "incoming"));

    private static string[] ListFiles(string directory) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory) : [];
}
