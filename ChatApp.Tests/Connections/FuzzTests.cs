using System.Net;
using System.Text;
using System.Text.Json;
using ChatApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ChatApp.Tests.Connections;

public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Frames = 1500;

    [Fact]
    public async Task RandomAndMutatedFramesAreEachAnsweredAndTheServerStaysHealthy()
    {
        await using var server = await ServerProcess.StartAsync("--Chat:RateLimit:Messages=1000000", "--Chat:SignInLimit:Requests=100000");
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var fuzzer = await TestSocket.ConnectAsync(server.WebSocketUri(await server.SignInAsync("fuzzer")));
        await fuzzer.ReadReplayAsync();

        long baseline = 0;
        for (var n = 0; n < Frames; n++)
        {
            if (n == 100) baseline = server.WorkingSetBytes();
            var frame = Generate(random);
            await fuzzer.SendTextAsync(frame);
            // A marker after every frame: whatever the frame was, an answer to it (echo, error or pong) comes before the marker's echo.
            await fuzzer.SendJsonAsync(new { type = "message", text = "marker", clientId = $"marker{n}" });
            var answers = 0;
            while (true)
            {
                var reply = await fuzzer.ReceiveJsonAsync();
                if (reply.TryGetProperty("clientId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == $"marker{n}"
                    && TestSocket.Type(reply) == "message") break;
                if (TestSocket.Type(reply) is "message" or "error" or "pong") answers++;
            }
            Assert.True(answers >= 1, $"frame {n} got no answer: {frame}");
        }
        var after = server.WorkingSetBytes();
        output.WriteLine($"working set after 100 frames {baseline / 1_048_576} MB, after {Frames}: {after / 1_048_576} MB");
        // A leak of a few kilobytes a frame would show; the heap's own growth and trimming do not reach this.
        Assert.True(after < baseline + 96 * 1_048_576, $"working set grew from {baseline} to {after} bytes");

        using var http = server.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    private static readonly string[] Pieces =
    [
        "[", "]", "(", ")", "- ", "> ", "*", "_", "`", "```", "\n", "<script>", "&", "\\ud800", "\\udfff", "\\u0000", "\\\"", "é", "😀",
        "http://x.example", "javascript:alert(1)", "|", "#", "![", "](", "  ", "\t",
    ];

    private static string Generate(Random random)
    {
        switch (random.Next(6))
        {
            case 0: // a well-shaped message with hostile text
                return $"{{\"type\":\"message\",\"text\":\"{HostileText(random)}\",\"clientId\":\"f{random.Next(1000)}\"}}";
            case 1: // fields of the wrong kinds
                string[] values = ["42", "true", "null", "[]", "{}", "\"\"", "\"x\"", "-1", "1e400", "\"\\ud800\""];
                string[] types = ["\"message\"", "\"ping\"", "\"bogus\"", "null", "42", "\"\""];
                var fields = new List<string> { $"\"type\":{types[random.Next(types.Length)]}" };
                foreach (var field in new[] { "text", "to", "clientId", "size", "name" })
                    if (random.Next(2) == 0) fields.Add($"\"{field}\":{values[random.Next(values.Length)]}");
                return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
            case 2: // a valid frame, mutated
                var bytes = Encoding.UTF8.GetBytes($"{{\"type\":\"message\",\"text\":\"{HostileText(random)}\",\"clientId\":\"m\"}}").ToList();
                for (var i = random.Next(1, 6); i > 0 && bytes.Count > 1; i--)
                {
                    var at = random.Next(bytes.Count);
                    switch (random.Next(3))
                    {
                        case 0: bytes.RemoveAt(at); break;
                        case 1: bytes.Insert(at, (byte)random.Next(32, 127)); break;
                        default: bytes[at] = (byte)random.Next(32, 127); break;
                    }
                }
                return Encoding.UTF8.GetString(bytes.ToArray());
            case 3: // deep JSON
                var depth = random.Next(10, 3000);
                return new string('[', depth) + new string(']', depth);
            case 4: // not JSON at all: a plain-text message
                return HostileText(random).Replace("\\", "");
            default: // deeply nested Markdown
                var piece = Pieces[random.Next(6)];
                return $"{{\"type\":\"message\",\"text\":\"{string.Concat(Enumerable.Repeat(piece.Replace("\n", "\\n"), random.Next(50, 400)))}x\"}}";
        }
    }

    private static string HostileText(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 60); i > 0; i--)
        {
            var piece = Pieces[random.Next(Pieces.Length)];
            text.Append(piece switch { "\n" => "\\n", "\t" => "\\t", "\\\"" => "\\\"", _ => piece.Replace("\"", "\\\"") });
        }
        return text.ToString();
    }
}
