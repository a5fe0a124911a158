using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Files;

public sealed class FileDeleteTests
{
    [Fact]
    public async Task ADeletedFilesBytesAreRemovedAndItsUrlAnswersGone()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        await using var bob = await server.JoinAsync("bob");
        await ann.SendFileAsync("plan.txt", "text/plain", "the plan"u8.ToArray());
        var file = await ann.ExpectAsync("file");
        var id = file.GetProperty("id").GetInt64();
        using var bobHttp = server.Client(bob.Token);
        Assert.Equal(HttpStatusCode.OK, (await bobHttp.GetAsync($"/files/{id}")).StatusCode);

        await bob.SendJsonAsync(new { type = "delete", target = id });
        Assert.Equal("not_yours", (await bob.ExpectAsync("error")).Text("code"));
        await ann.SendJsonAsync(new { type = "delete", target = id, clientId = "d1" });
        var deletion = await bob.ExpectAsync("delete");
        Assert.Equal(id, deletion.GetProperty("target").GetInt64());
        Assert.Equal("d1", (await ann.ExpectAsync("delete")).Text("clientId"));

        var response = await bobHttp.GetAsync($"/files/{id}");
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        await Eventually.ThatAsync(() => server.StoredFiles().Length == 0, "the file's bytes are removed");

        await using var carl = await server.JoinAsync("carl");
        var replayed = Assert.Single(carl.Replay, e => e.GetProperty("id").GetInt64() == id);
        Assert.Equal("file", replayed.Text("type"));
        Assert.True(replayed.GetProperty("deleted").GetBoolean());
        Assert.Null(replayed.Text("name"));
        Assert.Null(replayed.Text("url"));
    }

    [Fact]
    public async Task AFileOverHttpIsDeletedByItsSenderAndNobodyElse()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        await ann.SendFileAsync("pic.png", "image/png", FileSharing.Png);
        var id = (await ann.ExpectAsync("file")).GetProperty("id").GetInt64();
        using var bob = server.Client(await server.SignInAsync("bob"));
        using var annHttp = server.Client(ann.Token);

        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteJsonAsync($"/api/messages/{id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/files/{id}")).StatusCode);
        var (status, deletion) = await annHttp.DeleteJsonAsync($"/api/messages/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("delete", deletion.Text("type"));
        Assert.Equal(HttpStatusCode.Gone, (await bob.GetAsync($"/files/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await annHttp.DeleteJsonAsync($"/api/messages/{id}")).Status);
    }
}
