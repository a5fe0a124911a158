using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Diagnostics;

/// <summary>
/// A server serving its pages holds no inotify instance (a per-user resource, 128 by default, that a machine
/// running many servers — or a test run — would otherwise use up: pages then fail with a 500).
/// </summary>
public sealed class FileWatcherTests
{
    [Fact]
    public async Task ServingPagesAndStaticFilesTakesNoInotifyInstance()
    {
        await using var server = await ServerProcess.StartAsync();
        using var client = server.Client();
        foreach (var path in new[] { "/", "/nojs", "/profile/nobody", "/css/chat.css", "/js/render.js" })
            Assert.NotEqual(HttpStatusCode.InternalServerError, (await client.GetAsync(path)).StatusCode);
        Assert.Contains("css/chat.css?v=", await client.GetStringAsync("/"));

        var watchers = Directory.GetFiles($"/proc/{server.ProcessId}/fd")
            .Count(fd => { try { return new FileInfo(fd).LinkTarget == "anon_inode:inotify"; } catch (IOException) { return false; } });
        Assert.Equal(0, watchers);
    }
}
