using System.Net;
using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.FileSharing;

namespace ChatApp.Tests.Files;

public sealed class FileRelayTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(1024 * 1024)]
    [InlineData(20 * 1024 * 1024)]
    public async Task AFileReachesEveryOtherConnectionAndTheDownloadByteForByte(int size)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        await using var annOtherTab = await server.ConnectAsync(ann.Token!);
        await using var bob = await server.JoinAsync("bob");
        var bytes = RandomBytes(size);

        await ann.SendFileAsync("data.bin", "application/octet-stream", bytes, clientId: "f1");

        var (echo, echoBytes) = await ann.ReceiveFileAsync("data.bin");
        Assert.False(echo.GetProperty("binary").GetBoolean());
        Assert.Null(echoBytes);
        Assert.Equal("f1", echo.GetProperty("clientId").GetString());
        Assert.Equal(size, echo.GetProperty("size").GetInt64());
        foreach (var other in new[] { bob, annOtherTab })
        {
            var (file, received) = await other.ReceiveFileAsync("data.bin");
            Assert.True(file.GetProperty("binary").GetBoolean());
            Assert.Equal("ann", file.GetProperty("from").GetString());
            Assert.Equal(Sha256(bytes), Sha256(received!));
        }
        using var http = server.Client(bob.Token);
        var download = await http.GetByteArrayAsync(echo.GetProperty("url").GetString());
        Assert.Equal(Sha256(bytes), Sha256(download));
    }

    [Fact]
    public async Task APrivateFileReachesOnlyItsTwoParties()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        await using var carol = await server.JoinAsync("carol");

        await ann.SendFileAsync("secret.txt", "text/plain", "for bob only"u8.ToArray(), to: "bob");
        await ann.SendTextAsync("after the file");

        var (file, bytes) = await bob.ReceiveFileAsync("secret.txt");
        Assert.Equal("bob", file.GetProperty("to").GetString());
        Assert.Equal("for bob only"u8.ToArray(), bytes);
        var (echo, _) = await ann.ReceiveFileAsync("secret.txt");
        Assert.Equal("bob", echo.GetProperty("to").GetString());
        // Carol's next talk is the public message: nothing of the file came before it.
        while (true)
        {
            var (json, binary) = await carol.ReceiveAsync();
            Assert.Null(binary);
            var type = TestSocket.Type(json!.Value);
            Assert.NotEqual("file", type);
            if (type == "message") { Assert.Equal("after the file", json.Value.GetProperty("text").GetString()); break; }
        }
    }

    [Fact]
    public async Task TheSameClientIdTwiceStoresOneFile()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var bytes = RandomBytes(2048);

        await ann.SendFileAsync("once.bin", "application/octet-stream", bytes, clientId: "same");
        var (first, _) = await ann.ReceiveFileAsync("once.bin");
        await ann.SendFileAsync("once.bin", "application/octet-stream", bytes, clientId: "same");
        var (second, _) = await ann.ReceiveFileAsync("once.bin");

        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        await Eventually.ThatAsync(() => server.StoredFiles().Length == 1, "one stored file is left");
    }

    [Fact]
    public async Task ReplayedFilesComeWithoutBytesAndTheirUrlServesThem()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var bytes = RandomBytes(4096);
        await ann.SendFileAsync("earlier.bin", "application/octet-stream", bytes);
        await ann.ReceiveFileAsync("earlier.bin");

        // ReadReplayAsync only accepts text frames up to "replayed": a binary frame in the replay would fail here.
        await using var dave = await server.JoinAsync("dave");

        var replayed = Assert.Single(dave.Replay, f => TestSocket.Type(f) == "file");
        Assert.False(replayed.GetProperty("binary").GetBoolean());
        Assert.True(replayed.GetProperty("replay").GetBoolean());
        using var http = server.Client(dave.Token);
        var download = await http.GetByteArrayAsync(replayed.GetProperty("url").GetString());
        Assert.Equal(Sha256(bytes), Sha256(download));
    }

    [Fact]
    public async Task AFileCanStillBeDownloadedAfterARestart()
    {
        await using var server = await ChatServer.StartAsync();
        var token = await server.SignInAsync("ann");
        string url;
        var bytes = RandomBytes(3000);
        await using (var ann = await server.ConnectAsync(token))
        {
            await ann.SendFileAsync("kept.bin", "application/octet-stream", bytes);
            url = (await ann.ReceiveFileAsync("kept.bin")).Event.GetProperty("url").GetString()!;
        }

        await server.RestartAsync();

        using var http = server.Client(token);
        var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Sha256(bytes), Sha256(await response.Content.ReadAsByteArrayAsync()));
    }
}
