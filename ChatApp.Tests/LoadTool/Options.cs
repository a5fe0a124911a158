using System.Globalization;

namespace ChatApp.LoadTool;

/// <summary>Command-line options: <c>SCENARIO --name value ...</c>; every option has a default, listed in <see cref="Usage"/>.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public required string Scenario { get; init; }

    public const string Usage = """
        usage: chatapp-load SCENARIO [options]      (bash .ci/load SCENARIO [options] builds and runs it)
          fanout    --clients 1000 --senders 10 --rate 200 (msg/s, all senders) --duration 15 --warmup 3 --size 100 --users 0
                    --replayer 1 (measure alone, then while one more user reads 1,000 events from disk again and again)
                    --replay-seed N (that user's history, seeded first; default fits --archive) --replay-pause 0 (ms between reads)
          saturate  --clients 1000 --senders 10 --start-rate 50 --step-factor 1.25 --step-duration 5 --max-p99 250 --max-loss 1
                    --max-steps 30 (50 msg/s x 1.25^29: about 32,000 msg/s)
          idle      --clients 5000 --connect-rate 1000 (opens/s) --wait 10 (s)
          storm     --clients 5000 --users 0 (0: one per connection; 500: 10 tabs each) --wait 10 (s to settle)
                    signs everyone in, restarts the server, then opens every connection at once
                    --reconnect 1: every connection open before the server is killed and started again (presence resumed)
          history   --data DIR (a seeded data dir, read from a copy; default: seeds --events into a fresh one) --samples 200
                    --warmup-ops 100 (untimed runs of each read first) --only LABEL (one read: replay-50, since-1000, ...)
          seed      --data DIR --events 1000000 --users 1000 --notice-tail 25000 (join/part notices last, as after a storm)
        common: --url http://127.0.0.1:PORT (an already running server; default: start one, pinned to CPU 0)
                --pid N (its process, for CPU and memory) --server PATH (ChatApp.dll) --concurrency 500 (opens in flight)
                --open-timeout 60 (s) --json FILE (also write the result there)
                --archive N (Chat:ArchiveCapacity of a server started here)
                --storage off (a server started here stores no events, Chat:Storage:DiscardEvents: what storage costs)
                --protocol signalr (fanout, saturate, idle, storm against the peer instead: the canonical SignalR chat hub,
                  started here from this tool's build like the server, or the one at --url; the same client measures both)
                --protocol stomp (fanout, saturate, idle, storm over ChatApp's /stomp: CONNECT, SUBSCRIBE /topic/chat, SEND)
        Prints a table and a line "RESULT {json}".
        """;

    public static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) throw new ArgumentException("no scenario given");
        var options = new Options { Scenario = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var key = args[i];
            if (!key.StartsWith("--")) throw new ArgumentException($"unexpected argument {key}");
            key = key[2..];
            string value;
            if (key.IndexOf('=') is var eq and >= 0) (key, value) = (key[..eq], key[(eq + 1)..]);
            else if (i + 1 < args.Length) value = args[++i];
            else throw new ArgumentException($"--{key} needs a value");
            options._values[key] = value;
        }
        return options;
    }

    public string? Text(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public double Number(string name, double absent) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : absent;

    public int Int(string name, int absent) => (int)Number(name, absent);
}
