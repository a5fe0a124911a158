using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.FileSharing;

namespace ChatApp.Tests.Files;

public sealed class FileUploadCleanupTests
{
    [Fact]
    public async Task AClientThatDisconnectsMidFileLeavesNothingBehind()
    {
        await using var server = await ChatServer.StartAsync();
        var ann = await server.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");

        await ann.SendJsonAsync(new { type = "file", name = "half.bin", contentType = "application/octet-stream", size = 4 * 1024 * 1024 });
        // Half the file, as unfinished fragments of one binary message: the server is streaming it to disk.
        await ann.SendFragmentAsync(RandomBytes(2 * 1024 * 1024));
        await Eventually.ThatAsync(() => server.IncomingFiles().Length == 1, "the upload is being written to a temporary file");

        ann.Abort();
        await ann.DisposeAsync();

        await Eventually.ThatAsync(() => server.IncomingFiles().Length == 0, "the temporary file is deleted");
        Assert.Empty(server.StoredFiles());
        await bob.ExpectAsync("system", f => f.GetProperty("event").GetString() == "part");
    }
}
