using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Api;

/// <summary>Every endpoint caps its body (Chat/Limits.cs): over the cap is 413, refused before it is read.</summary>
public sealed class RequestBodyLimitTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string url, HttpContent content, string? token = null)
    {
        using var client = _server.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.ExpectContinue = true; // so the client waits for the verdict before sending a refused body
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A28MegabyteSessionBodyIsRefused413Unread()
    {
        var huge = new ByteArrayContent(new byte[28 * 1024 * 1024]);
        huge.Headers.ContentType = new("application/json");

        var (status, body) = await PostAsync("/api/session", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", JsonDocument.Parse(body).RootElement.Text("error"));
    }

    [Fact]
    public async Task ASessionBodyJustOverAFewKilobytesIsRefusedEvenWithoutContentLength()
    {
        var json = JsonSerializer.Serialize(new { name = "jim", password = new string('x', Limits.AccountBodyBytes) });
        // Chunked (no Content-Length): Kestrel counts the bytes as they arrive.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        chunked.Headers.ContentType = new("application/json");
        chunked.Headers.ContentLength = null;

        var (status, body) = await PostAsync("/api/session", chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", JsonDocument.Parse(body).RootElement.Text("error"));
        await _server.SignInAsync("jim"); // the refused request claimed nothing: the name is still free
    }

    [Fact]
    public async Task APasswordBodyOverItsCapIsRefused413()
    {
        var token = await _server.SignInAsync("pat");
        var (status, body) = await PostAsync("/api/account/password",
            JsonContent.Create(new { password = new string('p', Limits.AccountBodyBytes * 2) }), token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", JsonDocument.Parse(body).RootElement.Text("error"));
    }

    [Fact]
    public async Task AMessageBodyOverItsCapIsRefusedUnreadAsTooLongWithoutStoringAnything()
    {
        var token = await _server.SignInAsync("mo");
        var huge = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        huge.Headers.ContentType = new("application/json");

        var (status, body) = await PostAsync("/api/messages", huge, token);

        Assert.Equal(HttpStatusCode.BadRequest, status); // PROTOCOL.md §2.2: text over the limit is too_long
        Assert.Equal("too_long", JsonDocument.Parse(body).RootElement.Text("error"));
        using var reader = _server.Client(token);
        Assert.DoesNotContain(await reader.MessagesAsync(), e => e.Text("from") == "mo" && e.Text("type") == "message");
    }

    [Fact]
    public async Task AJoinFormPostOverItsCapIsRefused413()
    {
        var form = new ByteArrayContent(Encoding.ASCII.GetBytes("Name=" + new string('a', 1024 * 1024)));
        form.Headers.ContentType = new("application/x-www-form-urlencoded");

        var (status, _) = await PostAsync("/?handler=Join", form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }
}
