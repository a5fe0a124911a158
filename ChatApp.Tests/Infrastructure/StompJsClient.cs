using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// A real, unmodified @stomp/stompjs v7 client in a Node.js process (ChatApp.Tests/Stomp/js/client.js),
/// driven by JSON-line commands; what it sees comes back as JSON lines. Every wait is bounded.
/// </summary>
public sealed class StompJsClient : IAsyncDisposable
{
    private readonly Process _node;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reading;

    private StompJsClient(Process node)
    {
        _node = node;
        _reading = Task.Run(async () =>
        {
            while (await node.StandardOutput.ReadLineAsync() is { } line)
                if (line.StartsWith('{')) _events.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
            _events.Writer.TryComplete();
        });
    }

    /// <summary>The folder with client.js and its node_modules (installed by run.sh from the lockfile).</summary>
    public static string ScriptDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "ChatApp.Tests", "Stomp", "js");
                if (File.Exists(Path.Combine(candidate, "client.js"))) return candidate;
            }
            throw new InvalidOperationException("ChatApp.Tests/Stomp/js/client.js not found above the test binaries.");
        }
    }

    public static StompJsClient Start(ChatServer server, string script = "client.js", params string[] args) => Start(server.Port, script, args);

    /// <summary>A client of the server listening on <paramref name="port"/> (a node of a scaled chat).</summary>
    public static StompJsClient Start(int port, string script = "client.js", params string[] args)
    {
        var directory = ScriptDirectory;
        Assert.True(Directory.Exists(Path.Combine(directory, "node_modules", "@stomp", "stompjs")),
            $"@stomp/stompjs is not installed: run `npm ci` in {directory} (ChatApp.Tests/run.sh does it).");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add($"ws://127.0.0.1:{port}/stomp");
        foreach (var a in args) start.ArgumentList.Add(a);
        return new StompJsClient(Process.Start(start)!);
    }

    /// <summary>Starts a client and connects it as <paramref name="login"/>; returns it with its CONNECTED event.</summary>
    public static async Task<(StompJsClient Client, JsonElement Connected)> ConnectAsync(ChatServer server, string login, string passcode,
        string[]? versions = null, int[]? heartbeat = null) => await ConnectAsync(server.Port, login, passcode, versions, heartbeat);

    public static async Task<(StompJsClient Client, JsonElement Connected)> ConnectAsync(int port, string login, string passcode,
        string[]? versions = null, int[]? heartbeat = null)
    {
        var client = Start(port);
        await client.SendAsync(new { op = "connect", login, passcode, versions = versions ?? ["1.2", "1.1", "1.0"], heartbeat = heartbeat ?? [0, 0] });
        return (client, await client.ExpectAsync("connected"));
    }

    public async Task SendAsync(object command)
    {
        await _node.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command)).WaitAsync(ChatServer.Timeout);
        await _node.StandardInput.FlushAsync().WaitAsync(ChatServer.Timeout);
    }

    public Task SubscribeAsync(string destination, object? headers = null) => SendAsync(new { op = "subscribe", destination, headers = headers ?? new { } });

    public Task PublishAsync(string destination, string body, object? headers = null, string? receipt = null) =>
        SendAsync(new { op = "send", destination, body, headers = headers ?? new { }, receipt });

    /// <summary>The next event the client reported.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? ChatServer.Timeout);
        try { return await _events.Reader.ReadAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException("the stompjs client reported nothing in time"); }
        catch (ChannelClosedException) { throw new InvalidOperationException("the stompjs client's process ended"); }
    }

    /// <summary>Skips events until one of kind <paramref name="ev"/> matching <paramref name="match"/>; the skipped ones go to <paramref name="skipped"/>.</summary>
    public async Task<JsonElement> ExpectAsync(string ev, Func<JsonElement, bool>? match = null, List<JsonElement>? skipped = null)
    {
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no '{ev}' from the stompjs client in time");
            var e = await NextAsync(left);
            if (e.GetProperty("ev").GetString() == ev && (match is null || match(e))) return e;
            skipped?.Add(e);
        }
    }

    /// <summary>The next MESSAGE whose JSON body matches.</summary>
    public async Task<JsonElement> ExpectMessageAsync(Func<JsonElement, bool> body, List<JsonElement>? skipped = null)
    {
        var e = await ExpectAsync("message", m => body(Body(m)), skipped);
        return e;
    }

    public Task<JsonElement> ExpectTextAsync(string text, List<JsonElement>? skipped = null) =>
        ExpectMessageAsync(b => Str(b, "type") == "message" && Str(b, "text") == text, skipped);

    public static JsonElement Body(JsonElement message) => JsonDocument.Parse(message.GetProperty("body").GetString()!).RootElement.Clone();

    public static string? Header(JsonElement e, string name) =>
        e.GetProperty("headers").TryGetProperty(name, out var v) ? v.GetString() : null;

    public static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public async ValueTask DisposeAsync()
    {
        try
        {
            _node.StandardInput.Close();
            if (!_node.WaitForExit(5000)) _node.Kill(entireProcessTree: true);
            await _reading.WaitAsync(ChatServer.Timeout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException) { }
        _node.Dispose();
    }
}
