using ChatApp.Chat;
using Microsoft.Extensions.Options;

namespace ChatApp.Scaleout;

/// <summary>
/// This node's name among the nodes of one chat, kept in its data directory: a node that starts again under the
/// same name drops its previous life's connections at once instead of waiting for its heartbeat to run out.
/// </summary>
public sealed class NodeIdentity
{
    public NodeIdentity(IOptions<ChatOptions> options)
    {
        var path = Path.Combine(options.Value.DataPath, "node-id");
        Directory.CreateDirectory(options.Value.DataPath);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } known) Id = known;
        else File.WriteAllText(path, Id = Guid.NewGuid().ToString("N")[..12]);
    }

    public string Id { get; }
}
