using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// The real server as a process of its own (<c>dotnet ChatApp.dll</c> from the test's output directory),
/// so its memory can be read from <c>/proc</c> without the test's own allocations in the figure.
/// </summary>
public sealed class ServerProcess : IChatNode
{
    private readonly string[] _settings;
    private Process _process;

    private ServerProcess(Process process, int port, string dataDir, string[] settings)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
        _settings = settings;
    }

    public int Port { get; }
    public string DataDir { get; }
    public int ProcessId => _process.Id;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static Task<ServerProcess> StartAsync(params string[] settings) =>
        StartInAsync(Path.Combine(Path.GetTempPath(), "chatapp-tests", Guid.NewGuid().ToString("N")), settings);

    /// <summary>Starts a server on <paramref name="dataDir"/> (an earlier server's, to test restarts).</summary>
    public static async Task<ServerProcess> StartInAsync(string dataDir, params string[] settings)
    {
        Directory.CreateDirectory(dataDir);
        var port = TestPorts.Next();
        var server = new ServerProcess(Launch(dataDir, port, settings), port, dataDir, settings);
        await server.WaitUntilListeningAsync();
        return server;
    }

    /// <summary>Starts the server again with the same settings, port and data directory, after <see cref="KillAsync"/>.</summary>
    public async Task StartAgainAsync()
    {
        _process.Dispose();
        _process = Launch(DataDir, Port, _settings);
        await WaitUntilListeningAsync();
    }

    private static Process Launch(string dataDir, int port, string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ChatApp.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Chat:DataDir={dataDir}");
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false"; // no inotify watcher per test server
        start.Environment["DOTNET_TieredPGO"] = "0"; // a test server runs briefly: no profile-guided rejits (as the test process)
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        var process = Process.Start(start)!;
        // Drained so a chatty server never blocks on a full pipe.
        // CHATAPP_TEST_LOGS=<dir> keeps each server's output there, for a closer look at a failure.
        var logs = Environment.GetEnvironmentVariable("CHATAPP_TEST_LOGS");
        var log = string.IsNullOrEmpty(logs) ? null : TextWriter.Synchronized(File.AppendText(Path.Combine(logs, $"server-{port}.log")));
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) log?.WriteLine(line.Data); log?.Flush(); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) log?.WriteLine(line.Data); log?.Flush(); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Peak resident set size so far (VmHWM), in bytes.</summary>
    public long PeakWorkingSetBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Current resident set size (VmRSS), in bytes.</summary>
    public long WorkingSetBytes() => StatusKilobytes("VmRSS:") * 1024;

    private long StatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = ChatServer.Timeout };

    public async Task<string> SignInAsync(string name)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/session", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public Uri WebSocketUri(string token, long? since = null) => IChatNode.SocketUri(Port, token, since);

    private async Task WaitUntilListeningAsync()
    {
        using var client = Client();
        await Eventually.ThatAsync(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server process exited with {_process.ExitCode}.");
            try
            {
                using var response = await client.GetAsync("/api/roster");
                return true;
            }
            catch (HttpRequestException) { return false; }
        }, "the server process listens", within: TimeSpan.FromSeconds(90)); // a loaded machine can take this long to start a process
    }

    /// <summary>SIGKILL: the process dies at once, with no shutdown of any kind; the data directory is kept.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync().WaitAsync(ChatServer.Timeout);
    }

    /// <summary>Stops the process (SIGKILL) and deletes its data directory unless <paramref name="keepData"/>.</summary>
    public async ValueTask DisposeAsync() => await DisposeAsync(keepData: false);

    public async ValueTask DisposeAsync(bool keepData)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(ChatServer.Timeout);
        }
        _process.Dispose();
        if (keepData) return;
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
