using System.Net;
using System.Net.Http.Headers;
using ChatApp.Tests.Infrastructure;
using static ChatApp.Tests.Infrastructure.FileSharing;

namespace ChatApp.Tests.Files;

public sealed class FileDownloadTests
{
    /// <summary>Ann shares a file and returns its url once the echo says it is stored.</summary>
    private static async Task<string> ShareAsync(TestSocket ann, string name, string contentType, byte[] bytes, string? to = null)
    {
        await ann.SendFileAsync(name, contentType, bytes, to);
        var (echo, _) = await ann.ReceiveFileAsync(name);
        return echo.GetProperty("url").GetString()!;
    }

    [Fact]
    public async Task APrivateFileIsServedToItsTwoPartiesOnly()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var bob = await server.SignInAsync("bob");
        var carol = await server.SignInAsync("carol");
        var url = await ShareAsync(ann, "secret.txt", "text/plain", "for bob"u8.ToArray(), to: "bob");

        using var asAnn = server.Client(ann.Token);
        using var asBob = server.Client(bob);
        using var asCarol = server.Client(carol);
        using var anonymous = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await asAnn.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await asBob.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asCarol.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task APublicFileNeedsASignedInUser()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var carol = await server.SignInAsync("carol");
        var url = await ShareAsync(ann, "open.txt", "text/plain", "for all"u8.ToArray());

        using var asCarol = server.Client(carol);
        using var anonymous = server.Client();
        Assert.Equal("for all", await asCarol.GetStringAsync(url));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task AFileThatDoesNotExistIsNotFound()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        using var http = server.Client(ann.Token);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/files/999999")).StatusCode);
        // The join notice is an event, but not a file.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/files/1")).StatusCode);
    }

    [Theory]
    [InlineData("page.html", "text/html", "<script>alert(1)</script>")]
    [InlineData("drawing.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    public async Task ActiveContentIsServedAsASandboxedAttachment(string name, string declaredType, string content)
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var url = await ShareAsync(ann, name, declaredType, System.Text.Encoding.UTF8.GetBytes(content));

        using var http = server.Client(ann.Token);
        var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        AssertNotExecutable(response);
    }

    [Fact]
    public async Task APngDeclaredAsTextIsServedInlineAsAPng()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var url = await ShareAsync(ann, "picture.txt", "text/plain", Png);

        using var http = server.Client(ann.Token);
        var response = await http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition?.DispositionType);
        AssertNotExecutable(response);
        Assert.Equal(Png, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AFileNameOutsideAsciiIsEncodedInTheHeader()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        const string name = "Grüße \"quoted\"; ü.txt";
        var url = await ShareAsync(ann, name, "text/plain", "hi"u8.ToArray());

        using var http = server.Client(ann.Token);
        var response = await http.GetAsync(url);

        var raw = response.Content.Headers.GetValues("Content-Disposition").Single();
        Assert.All(raw, c => Assert.InRange(c, ' ', '~'));
        Assert.Contains("filename*=UTF-8''", raw);
        Assert.Equal(name, response.Content.Headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task ARangeRequestGetsPartialContent()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var bytes = RandomBytes(100_000);
        var url = await ShareAsync(ann, "big.bin", "application/octet-stream", bytes);

        using var http = server.Client(ann.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1000, 1999);
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 1000-1999/100000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[1000..2000], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ARepeatedDownloadWithTheETagIsNotModified()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        var url = await ShareAsync(ann, "same.bin", "application/octet-stream", RandomBytes(500));

        using var http = server.Client(ann.Token);
        var first = await http.GetAsync(url);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag!);
        var second = await http.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    private static void AssertNotExecutable(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
    }
}
