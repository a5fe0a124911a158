using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.FileSharing;

namespace ChatApp.Tests.Files;

/// <summary>Every refused file leaves the connection usable: the next frame after the error answers the next message.</summary>
public sealed class FileRefusalTests
{
    private const int MaxFileBytes = 10_000;

    private static Task<ChatServer> StartAsync() =>
        ChatServer.StartAsync(new() { ["Chat:MaxFileBytes"] = MaxFileBytes.ToString() });

    /// <summary>The very next frame is the error; the one after it is the echo of a message sent after the refusal.</summary>
    private static async Task<JsonElement> ExpectRefusalThenUsableAsync(TestSocket socket, string code)
    {
        var error = await NextTextAsync(socket);
        Assert.Equal("error", TestSocket.Type(error));
        Assert.Equal(code, error.GetProperty("code").GetString());
        await socket.SendTextAsync("still here");
        var echo = await NextTextAsync(socket);
        Assert.Equal("message", TestSocket.Type(echo));
        Assert.Equal("still here", echo.GetProperty("text").GetString());
        return error;
    }

    /// <summary>The next text frame that is not a system notice (the connection's own join comes first).</summary>
    private static async Task<JsonElement> NextTextAsync(TestSocket socket)
    {
        while (true)
        {
            var (json, binary) = await socket.ReceiveAsync();
            Assert.True(json is not null, $"expected a text frame, got {binary?.Length} binary bytes");
            if (TestSocket.Type(json!.Value) != "system") return json.Value;
        }
    }

    [Fact]
    public async Task AFileOverTheLimitIsRefusedAndItsBytesAreSkipped()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendFileAsync("big.bin", "application/octet-stream", RandomBytes(1024 * 1024), clientId: "big");

        var error = await ExpectRefusalThenUsableAsync(ann, "too_large");
        Assert.Equal("big", error.GetProperty("clientId").GetString());
        Assert.Empty(server.StoredFiles());
    }

    [Fact]
    public async Task AFileHeaderWithoutANameIsABadFrame()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendJsonAsync(new { type = "file", contentType = "text/plain", size = 3 });
        await ann.SendBinaryAsync("abc"u8.ToArray());

        await ExpectRefusalThenUsableAsync(ann, "bad_frame");
    }

    [Fact]
    public async Task AFileHeaderWithABlankNameIsABadFrame()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendFileAsync("   ", "text/plain", "abc"u8.ToArray());

        await ExpectRefusalThenUsableAsync(ann, "bad_frame");
    }

    [Fact]
    public async Task AFileHeaderWithoutASizeIsABadFrame()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendJsonAsync(new { type = "file", name = "a.txt", contentType = "text/plain" });
        await ann.SendBinaryAsync("abc"u8.ToArray());

        await ExpectRefusalThenUsableAsync(ann, "bad_frame");
    }

    [Fact]
    public async Task AFileHeaderWithASizeThatIsNotANumberIsABadFrame()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendTextAsync("""{"type":"file","name":"a.txt","size":"3"}""");
        await ann.SendBinaryAsync("abc"u8.ToArray());

        // The frame fails to parse, so the server cannot know bytes follow: they earn their own refusal.
        var error = await NextTextAsync(ann);
        Assert.Equal("bad_frame", error.GetProperty("code").GetString());
        await ExpectRefusalThenUsableAsync(ann, "unexpected_binary");
    }

    [Fact]
    public async Task AFileToANameNeverClaimedIsRefused()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendFileAsync("a.txt", "text/plain", "abc"u8.ToArray(), to: "nobody");

        await ExpectRefusalThenUsableAsync(ann, "unknown_user");
        Assert.Empty(server.StoredFiles());
    }

    [Theory]
    [InlineData(100, 50)]
    [InlineData(100, 150)]
    public async Task ABinaryFrameOfAnotherSizeThanDeclaredIsRefusedAndNothingIsStored(int declared, int sent)
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendFileAsync("a.bin", "application/octet-stream", RandomBytes(sent), clientId: "m", declaredSize: declared);

        var error = await ExpectRefusalThenUsableAsync(ann, "size_mismatch");
        Assert.Equal("m", error.GetProperty("clientId").GetString());
        Assert.Empty(server.StoredFiles());
        Assert.Empty(server.IncomingFiles());
    }

    [Fact]
    public async Task ABinaryFrameWithoutAFileHeaderIsRefused()
    {
        await using var server = await StartAsync();
        await using var ann = await server.JoinAsync("ann");

        await ann.SendBinaryAsync(RandomBytes(300));

        await ExpectRefusalThenUsableAsync(ann, "unexpected_binary");
    }

    [Fact]
    public async Task AFileOverTheRateLimitIsRefusedAndItsBytesAreDeleted()
    {
        await using var server = await ChatServer.StartAsync(new()
        {
            ["Chat:RateLimit:Messages"] = "1",
            ["Chat:RateLimit:PerSeconds"] = "600",
        });
        await using var ann = await server.JoinAsync("ann");
        await ann.SendTextAsync("uses up the limit");
        await ann.ExpectMessageAsync("uses up the limit");

        await ann.SendFileAsync("a.bin", "application/octet-stream", RandomBytes(500), clientId: "r");

        var error = await NextTextAsync(ann);
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.Equal("r", error.GetProperty("clientId").GetString());
        await Eventually.ThatAsync(() => server.StoredFiles().Length == 0 && server.IncomingFiles().Length == 0, "the refused file is deleted");
        // Messages are limited too, so a ping shows the connection is still usable.
        await ann.SendJsonAsync(new { type = "ping" });
        Assert.Equal("pong", TestSocket.Type(await NextTextAsync(ann)));
    }
}
