using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatApp.LoadTool;

/// <summary>
/// The ChatApp server being measured: started here from the Release build (Production settings, a data
/// directory of its own, rate limits lifted, pinned to CPU 0 while this tool runs on CPU 1), or one
/// already running at <c>--url</c>. Reads its CPU time and resident memory from /proc. With <c>--protocol signalr</c>
/// it is the peer to compare with instead, the canonical SignalR chat hub (<see cref="SignalRPeer"/>), started the same way.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Options _options;
    private Process? _process;
    private readonly bool _ownsDataDir;
    private IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();

    private ServerUnderTest(Options options, Uri url, string dataDir, bool ownsDataDir)
    {
        _options = options;
        Url = url;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
    }

    public Uri Url { get; }
    public string DataDir { get; }

    /// <summary>The server is a SignalR hub (<c>--protocol signalr</c>), spoken to as <see cref="ChatClient"/>'s hub dialect.</summary>
    public bool SignalR => Dialect == Dialect.SignalR;

    /// <summary>What the clients speak: <c>--protocol chatapp</c> (<c>/ws</c>, the default), <c>signalr</c> or <c>stomp</c> (ChatApp's <c>/stomp</c>).</summary>
    public Dialect Dialect => _options.Text("protocol") switch { "signalr" => Dialect.SignalR, "stomp" => Dialect.Stomp, _ => Dialect.ChatApp };
    public int Pid { get; private set; }

    /// <summary>
    /// Refuses a <c>--storage</c> or <c>--protocol</c> this tool cannot run: storage is set on a server started here, and
    /// a hub has no sessions, history or storage to read.
    /// </summary>
    public static void CheckOptions(Options options)
    {
        if (options.Text("storage") is not (null or "on" or "off") and var storage) throw new ArgumentException($"--storage is on or off, not {storage}");
        if (options.Text("storage") is not null && options.Text("url") is not null) throw new ArgumentException("--storage sets up a server started here, not one at --url");
        if (options.Text("protocol") is not { } protocol || protocol == "chatapp") return;
        if (protocol is not ("signalr" or "stomp")) throw new ArgumentException($"--protocol is chatapp, signalr or stomp, not {protocol}");
        if (options.Scenario is not ("fanout" or "saturate" or "idle" or "storm"))
            throw new ArgumentException($"--protocol {protocol} runs fanout, saturate, idle and storm, not {options.Scenario}");
        if (protocol == "signalr" && options.Int("replayer", 0) > 0) throw new ArgumentException("--protocol signalr: a hub has no history to replay");
        if (protocol == "signalr" && options.Text("storage") is not null) throw new ArgumentException("--protocol signalr: a hub has no storage to turn off");
    }

    /// <summary><c>--storage off</c>: the server started here stores no events (<c>Chat:Storage:DiscardEvents</c>), to measure what storage costs.</summary>
    private bool StorageOff => _options.Text("storage") == "off";

    /// <summary>
    /// A server started here, or the one at <c>--url</c>; <paramref name="settings"/> are environment variables
    /// (configuration keys) a scenario needs on top of the tool's own, for a server started here.
    /// </summary>
    public static async Task<ServerUnderTest> StartAsync(Options options, string? dataDir = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (options.Text("url") is { } url)
        {
            var attached = new ServerUnderTest(options, new Uri(url), dataDir ?? "", ownsDataDir: false) { Pid = options.Int("pid", 0) };
            await attached.WaitHealthyAsync();
            return attached;
        }
        var owns = dataDir is null;
        dataDir ??= Path.Combine(Path.GetTempPath(), "chatapp-load", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var server = new ServerUnderTest(options, new Uri($"http://127.0.0.1:{FreePort()}"), dataDir, owns) { _settings = settings ?? new Dictionary<string, string>() };
        await server.LaunchAsync();
        return server;
    }

    /// <summary>Stops the process and starts it again on the same port and data: a deploy, say.</summary>
    public async Task RestartAsync()
    {
        if (_process is null) throw new InvalidOperationException("--url servers cannot be restarted from here");
        await StopAsync();
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        var start = SignalR ? PeerStart() : ServerStart();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"server: {e.Data}"); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"server: {e.Data}"); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Pid = _process.Id;
        if (Environment.ProcessorCount >= 2 && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
        {
            // One core for the server, one for this tool: the shared benchmark's arrangement.
            try { _process.ProcessorAffinity = 1; Process.GetCurrentProcess().ProcessorAffinity = 2; }
            catch (Exception e) when (e is PlatformNotSupportedException or System.ComponentModel.Win32Exception) { }
        }
        await WaitHealthyAsync();
    }

    /// <summary>
    /// The peer runs from this tool's own build, with the settings a web app gets by default, as the canonical hub has
    /// them: tiered compilation, and the server collector, concurrent (this tool turns all three off for itself).
    /// </summary>
    private ProcessStartInfo PeerStart()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { typeof(SignalRPeer).Assembly.Location, "signalr-peer", "--urls", Url.GetLeftPart(UriPartial.Authority) },
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["DOTNET_TieredCompilation"] = "1";
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["DOTNET_gcConcurrent"] = "1";
        return start;
    }

    private ProcessStartInfo ServerStart()
    {
        var dll = _options.Text("server") ?? Path.Combine(RepositoryRoot(), "ChatApp", "bin", "Release", "net10.0", "ChatApp.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"no server build at {dll}: run dotnet build ChatApp -c Release (or pass --server)");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, $"--urls={Url.GetLeftPart(UriPartial.Authority)}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Chat__DataDir"] = DataDir;
        start.Environment["Chat__RateLimit__Messages"] = "1000000";
        start.Environment["Chat__RateLimit__PerSeconds"] = "1";
        start.Environment["Chat__SignInLimit__Requests"] = "100000000";
        start.Environment["Chat__SignInLimit__PerSeconds"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (_options.Text("archive") is { } archive) start.Environment["Chat__ArchiveCapacity"] = archive;
        if (StorageOff) start.Environment["Chat__Storage__DiscardEvents"] = "true";
        foreach (var (key, value) in _settings) start.Environment[key] = value;
        return start;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(new Uri(Url, SignalR ? "/" : "/healthz"))).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (_process is { HasExited: true }) throw new InvalidOperationException($"the server exited with {_process.ExitCode}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server at {Url} did not become healthy");
            await Task.Delay(100);
        }
    }

    /// <summary>Resident memory in bytes (VmRSS), or 0 when unknown.</summary>
    public long Rss()
    {
        if (Pid == 0) return 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>CPU time used so far (user + system), or zero when unknown.</summary>
    public TimeSpan CpuTime()
    {
        if (Pid == 0) return TimeSpan.Zero;
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15)
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
        catch (IOException) { return TimeSpan.Zero; }
    }

    private async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_ownsDataDir)
            try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ChatApp.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
