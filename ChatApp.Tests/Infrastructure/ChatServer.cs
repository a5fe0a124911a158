using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// The real ChatApp on Kestrel, on a loopback port of its own and a fresh data directory (or a given one,
/// to test restarts). Stop and start again keep the port, so open browser pages can reconnect.
/// </summary>
public sealed class ChatServer : IChatNode
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private WebApplication? _app;

    private ChatServer(string dataDir, int port, Dictionary<string, string?> settings, TimeProvider? clock)
    {
        DataDir = dataDir;
        Port = port;
        _settings = settings;
        _clock = clock;
    }

    public string DataDir { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>This site's origin, as a browser on its pages sends it (cookie-signed API changes need it).</summary>
    public string Origin => $"http://127.0.0.1:{Port}";
    public IServiceProvider Services => _app!.Services;

    /// <summary>
    /// Starts a server. <paramref name="settings"/> are configuration keys such as <c>Chat:MaxFileBytes</c>;
    /// <paramref name="clock"/> (a FakeTimeProvider) replaces the app's TimeProvider.
    /// </summary>
    public static async Task<ChatServer> StartAsync(Dictionary<string, string?>? settings = null, string? dataDir = null, TimeProvider? clock = null)
    {
        dataDir ??= Path.Combine(Path.GetTempPath(), "chatapp-tests", Guid.NewGuid().ToString("N"));
        var server = new ChatServer(dataDir, TestPorts.Next(), settings ?? new(), clock);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var args = new List<string>
        {
            $"--urls=http://127.0.0.1:{Port}",
            $"--Chat:DataDir={DataDir}",
            "--Logging:LogLevel:Default=Warning",
            // No file watcher per server for appsettings.json: dozens of test servers would use up the inotify instances.
            "--hostBuilder:reloadConfigOnChange=false",
            // Tests send fast; only the rate-limit tests ask for the real limit.
            "--Chat:RateLimit:Messages=100000",
            // Parts come at once unless a test asks for the presence grace (with a fake clock).
            "--Chat:PresenceGraceSeconds=0",
            // Tests sign in many names from one address; only the sign-in limit tests ask for a real limit.
            "--Chat:SignInLimit:Requests=1000000",
            // No heap compactions after bursts in the shared test process, unless a test asks for them.
            "--Chat:Memory:CheckSeconds=0",
        };
        args.AddRange(_settings.Select(kv => $"--{kv.Key}={kv.Value}"));
        _app = ChatApplication.Build(args.ToArray(), _clock is null ? null : services => services.AddSingleton(_clock));
        await _app.StartAsync().WaitAsync(Timeout);
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
        _app = null;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAgainAsync();
    }

    public T Service<T>() where T : notnull => (T)_app!.Services.GetService(typeof(T))!;

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
            Timeout = Timeout,
        };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    HttpClient IChatNode.Client() => Client();

    public Uri WebSocketUri(string token, long? since = null) => IChatNode.SocketUri(Port, token, since);

    /// <summary>Claims a name over HTTP and returns its token.</summary>
    public async Task<string> SignInAsync(string name, string? password = null)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/session", new { name, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    /// <summary>Claims a name over HTTP and returns its token and the session cookie (as a <c>Cookie</c> header value).</summary>
    public async Task<(string Token, string Cookie)> SignInWithCookieAsync(string name)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/session", new { name });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in of {name}: {(int)response.StatusCode}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("chat_session=")).Split(';')[0];
        return (token, cookie);
    }

    /// <summary>Opens <c>/ws</c> as <paramref name="token"/>'s user and reads up to the end of replay.</summary>
    public async Task<TestSocket> ConnectAsync(string token, long? since = null, string? origin = null)
    {
        var socket = await TestSocket.ConnectAsync(WebSocketUri(token, since), origin);
        await socket.ReadReplayAsync();
        return socket;
    }

    /// <summary>Signs a fresh user in and connects them.</summary>
    public async Task<TestSocket> JoinAsync(string name, long? since = null)
    {
        var token = await SignInAsync(name);
        var socket = await ConnectAsync(token, since);
        socket.Token = token;
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
