namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// One node of a scaled chat as a test reaches it: an in-process <see cref="ChatServer"/> (cheap to start: it
/// shares the test process's compiled code) or a <see cref="ServerProcess"/> of its own (for kill -9).
/// </summary>
public interface IChatNode : IAsyncDisposable
{
    int Port { get; }
    Uri BaseAddress { get; }
    HttpClient Client();
    Uri WebSocketUri(string token, long? since = null);

    /// <summary><c>/ws</c> on a loopback port, signed in with <paramref name="token"/>, resuming after <paramref name="since"/> if given.</summary>
    static Uri SocketUri(int port, string token, long? since) =>
        new($"ws://127.0.0.1:{port}/ws?access_token={Uri.EscapeDataString(token)}{(since is null ? "" : $"&since={since}")}");
}
