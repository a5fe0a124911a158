using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Pages;

public sealed class ChatPageHttpTests
{
    [Fact]
    public async Task TheJoinFormIsServedToAVisitorWithoutASession()
    {
        await using var server = await ChatServer.StartAsync();
        using var client = server.Client();
        var response = await client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {html}");
        Assert.Contains("<label for=\"join-name\">Name</label>", html);
        Assert.Contains("__RequestVerificationToken", html);
    }
}
