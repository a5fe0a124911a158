using System.Text.Json;

namespace ChatApp.Tests.Infrastructure;

public static class TestSocketExtensions
{
    /// <summary>
    /// The next frame that <paramref name="relevant"/> accepts, skipping the rest (join and part notices of
    /// other tests' users, say). Lets a test show that something did NOT arrive without waiting for silence:
    /// the room delivers in order, so if a later marker comes first, the thing was never sent.
    /// </summary>
    public static async Task<JsonElement> NextAsync(this TestSocket socket, Func<JsonElement, bool> relevant)
    {
        var deadline = DateTime.UtcNow + ChatServer.Timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException("no relevant frame in time");
            var frame = await socket.ReceiveJsonAsync(left);
            if (relevant(frame)) return frame;
        }
    }

    public static bool IsProfileNotice(this JsonElement frame) =>
        TestSocket.Type(frame) == "system" && frame.Text("event") == "profile";

    public static bool IsMessage(this JsonElement frame) => TestSocket.Type(frame) == "message";
}
