using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Files;

/// <summary>
/// Shared files on disk: <c>files/</c> under the data directory (or Chat:FilesDir) holds each stored file under a
/// server-chosen key; <c>incoming/</c> holds uploads still arriving, so a half-received file is never
/// where a download could find it. Both sit on one volume, so finishing an upload is a rename.
/// </summary>
public sealed class FileStore
{
    public FileStore(IOptions<ChatOptions> options)
    {
        FilesDirectory = options.Value.FilesPath;
        // Beside the files (one volume, so keeping an upload is a rename); under a shared Chat:FilesDir, one folder
        // per node's data directory, so a node that starts clears only its own leftovers.
        IncomingDirectory = options.Value.FilesDir.Length == 0
            ? Path.Combine(options.Value.DataPath, "incoming")
            : Path.Combine(FilesDirectory, ".incoming", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.Value.DataPath)))[..16]);
        Directory.CreateDirectory(FilesDirectory);
        Directory.CreateDirectory(IncomingDirectory);
        // Whatever is still here was cut off by a crash or a stop; nobody will finish it.
        foreach (var leftover in Directory.EnumerateFiles(IncomingDirectory)) TryDelete(leftover);
    }

    public string FilesDirectory { get; }
    public string IncomingDirectory { get; }

    /// <summary>Where the file stored under <paramref name="fileKey"/> lives, or null for a key the server never made.</summary>
    public string? PathOf(string? fileKey) =>
        fileKey is { Length: 32 } && fileKey.All(char.IsAsciiHexDigitLower) ? Path.Combine(FilesDirectory, fileKey) : null;

    /// <summary>A new, empty temporary file for an upload; the caller owns (and deletes) it.</summary>
    public string NewIncomingPath() => Path.Combine(IncomingDirectory, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>Moves a complete upload into place under a new key and returns the key.</summary>
    public string Keep(string incomingPath)
    {
        var key = Guid.NewGuid().ToString("N");
        File.Move(incomingPath, Path.Combine(FilesDirectory, key));
        return key;
    }

    /// <summary>Removes a stored file that no event refers to (the room refused it).</summary>
    public void Forget(string fileKey)
    {
        if (PathOf(fileKey) is { } path) TryDelete(path);
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
