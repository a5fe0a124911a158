using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatApp.LoadTool;

/// <summary>
/// The peer to compare with, as the shared benchmark has it: the canonical ASP.NET Core SignalR chat — one Hub whose
/// <c>Send(text)</c> broadcasts <c>{id, ts, from, text}</c> to everyone as <c>message</c>, the name from <c>?user=</c>, no
/// persistence. <c>--protocol signalr</c> starts it in a process of its own (<c>chatapp-load signalr-peer --urls URL</c>),
/// pinned and measured like the ChatApp server, so the same client and clock measure both.
/// </summary>
public static class SignalRPeer
{
    public static async Task RunAsync(Options options)
    {
        var builder = WebApplication.CreateBuilder();
        // ChatApp's appsettings.json is copied beside this tool: none of it reaches the peer.
        foreach (var json in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList()) builder.Configuration.Sources.Remove(json);
        builder.WebHost.UseUrls(options.Text("urls") ?? "http://127.0.0.1:5000");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapGet("/", () => "SignalR chat peer: hub at /hub?user=NAME");
        app.MapHub<PeerChatHub>("/hub");
        await app.RunAsync();
    }

    public sealed record ChatMessage(long Id, string Ts, string From, string Text);

    public sealed class PeerChatHub : Hub
    {
        private static long _lastId;

        public override Task OnConnectedAsync()
        {
            var user = Context.GetHttpContext()?.Request.Query["user"].ToString();
            Context.Items["user"] = string.IsNullOrEmpty(user) ? "anonymous" : user;
            return base.OnConnectedAsync();
        }

        public Task Send(string text) => Clients.All.SendAsync("message", new ChatMessage(
            Interlocked.Increment(ref _lastId), DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), (string)Context.Items["user"]!, text));
    }
}
