using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// Several real ChatApp nodes over one real redis-server of the test's own, sharing one files directory:
/// a scaled chat as deployed, minus the load balancer (a test picks the node). Heartbeats and timeouts are short.
/// Nodes are real servers on Kestrel inside the test process (each with its own host, services, Redis connections
/// and port), or processes of their own (<c>processes: true</c>) for the tests that kill a node with SIGKILL or take
/// Redis away: while Redis is gone, a node's calls to it wait on its own threads, not on the test process's, which
/// every other test shares (the Redis-outage test, run in the test process, once took 1 m 40 s and failed).
/// With <c>throughLink: true</c> the nodes reach Redis through a <see cref="RedisLink"/> that can hold their commands.
/// </summary>
public sealed class ScaledChat : IAsyncDisposable
{
    private ScaledChat(RedisServer redis, RedisLink? link, string filesDir, List<IChatNode> nodes)
    {
        Redis = redis;
        Link = link;
        FilesDir = filesDir;
        Nodes = nodes;
    }

    public RedisServer Redis { get; }

    /// <summary>Between the nodes and Redis, when started <c>throughLink: true</c>.</summary>
    public RedisLink? Link { get; }
    public string FilesDir { get; }
    public List<IChatNode> Nodes { get; }
    public IChatNode this[int node] => Nodes[node];

    /// <summary>Node <paramref name="node"/> of a chat started with <c>processes: true</c>.</summary>
    public ServerProcess Process(int node) => (ServerProcess)Nodes[node];

    public static async Task<ScaledChat> StartAsync(int nodes = 2, bool appendOnly = false, bool processes = false, bool throughLink = false, params string[] settings)
    {
        var redis = await RedisServer.StartAsync(appendOnly);
        var link = throughLink ? RedisLink.Start(redis) : null;
        var filesDir = Path.Combine(Path.GetTempPath(), "chatapp-tests", "shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(filesDir);
        string[] all =
        [
            $"--Chat:Redis={link?.ConnectionString ?? redis.ConnectionString}",
            $"--Chat:FilesDir={filesDir}",
            "--Chat:NodeHeartbeatSeconds=0.3",
            "--Chat:NodeTimeoutSeconds=1.5",
            "--Chat:LogCheckSeconds=1",
            "--Chat:PresenceGraceSeconds=0",
            "--Chat:RateLimit:Messages=100000",
            "--Chat:SignInLimit:Requests=1000000", // one address (loopback) signs everyone in; tests that limit it say so
            .. settings,
        ];
        // One after another: two nodes starting at once on two cores only slow each other down.
        var chat = new ScaledChat(redis, link, filesDir, []);
        try
        {
            for (var i = 0; i < nodes; i++)
                chat.Nodes.Add(processes ? await ServerProcess.StartAsync(all) : await ChatServer.StartAsync(AsDictionary(all)));
        }
        catch
        {
            await chat.DisposeAsync(); // a node that failed to start leaves no Redis or other node running
            throw;
        }
        return chat;
    }

    /// <summary>"--Key=Value" arguments as settings for an in-process node; a later one wins, as on a command line.</summary>
    private static Dictionary<string, string?> AsDictionary(string[] settings)
    {
        var dictionary = new Dictionary<string, string?>();
        foreach (var setting in settings)
        {
            var pair = setting.TrimStart('-').Split('=', 2);
            dictionary[pair[0]] = pair[1];
        }
        return dictionary;
    }

    /// <summary>Claims a name on <paramref name="node"/> and returns its token.</summary>
    public async Task<string> SignInAsync(int node, string name, string? password = null)
    {
        using var client = Nodes[node].Client();
        var response = await client.PostAsJsonAsync("/api/session", new { name, password });
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {name} on node {node}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Opens /ws on <paramref name="node"/> and reads up to the end of replay.</summary>
    public async Task<TestSocket> ConnectAsync(int node, string token, long? since = null)
    {
        var socket = await TestSocket.ConnectAsync(Nodes[node].WebSocketUri(token, since));
        await socket.ReadReplayAsync();
        socket.Token = token;
        return socket;
    }

    public async Task<TestSocket> JoinAsync(int node, string name) => await ConnectAsync(node, await SignInAsync(node, name));

    public HttpClient Client(int node, string? token = null)
    {
        var client = Nodes[node].Client();
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        if (Link is not null) await Link.DisposeAsync();
        await Redis.DisposeAsync();
        try { Directory.Delete(FilesDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
