using ChatApp.Chat;
using ChatApp.Pages.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatApp.Tests.Pages;

/// <summary>The server-rendered log (first paint), rendered with the framework's own HtmlRenderer.</summary>
public sealed class MessageListTests
{
    private static readonly DateTime Noon = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TheLogIsALiveRegionNamedMessagesCarryingTheIdToGoOnFrom()
    {
        var html = await RenderAsync([], "ann", since: 17);

        Assert.Contains("role=\"log\"", html);
        Assert.Contains("aria-live=\"polite\"", html);
        Assert.Contains("aria-label=\"Messages\"", html);
        Assert.Contains("data-since=\"17\"", html);
    }

    [Fact]
    public async Task AMessageCarriesItsIdSenderTimeAndTheServersHtmlUnescaped()
    {
        var message = Message(42, "bob", "**hi**", "<p><strong>hi</strong></p>\n");

        var html = await RenderAsync([message], "ann");

        Assert.Contains("data-id=\"42\"", html);
        Assert.Contains("<span class=\"from\">bob</span>", html);
        Assert.Contains("<p><strong>hi</strong></p>", html);
        Assert.Contains("datetime=\"2026-11-22T12:00:00.000Z\"", html);
        Assert.DoesNotContain("data-private", html);
        Assert.DoesNotContain("mine", html);
    }

    [Fact]
    public async Task EverythingButTheRenderedHtmlIsEscaped()
    {
        var notice = new ChatEvent
        {
            Id = 7, Ts = Noon, Kind = ChatEventKind.System, SystemEvent = "profile", User = "ann",
            To = "ann", Ip = "<script>", Text = "ann, someone from <script>alert(1)</script> checked out your profile",
        };
        var file = new ChatEvent
        {
            Id = 8, Ts = Noon, Kind = ChatEventKind.File, From = "bob", FileName = "\"><img src=x onerror=alert(1)>.txt",
            ContentType = "text/plain", FileSize = 2048,
        };

        var html = await RenderAsync([notice, file], "ann");

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("download=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.txt\"", html);
        Assert.Contains("2 KB", html);
    }

    [Fact]
    public async Task APrivateMessageIsMarkedAndShowsTheOtherPartyWithAReplyButton()
    {
        var mine = Message(5, "ann", "secret", "<p>secret</p>", to: "bob");
        var theirs = Message(6, "bob", "back", "<p>back</p>", to: "ann");

        var html = await RenderAsync([mine, theirs], "ANN");

        Assert.Contains("class=\"entry talk mine private\" data-id=\"5\"", html);
        Assert.Contains("private to bob", html);
        Assert.Contains("data-reply=\"bob\"", html);
        Assert.Contains("class=\"entry talk private\" data-id=\"6\"", html);
        Assert.Contains("private to you", html);
        Assert.Equal(2, CountOf(html, "data-private=\"true\""));
    }

    [Fact]
    public async Task RasterImagesShowInlineAndOtherFilesAreDownloadLinks()
    {
        var image = new ChatEvent { Id = 9, Ts = Noon, Kind = ChatEventKind.File, From = "bob", FileName = "cat.png", ContentType = "image/png", FileSize = 10 };
        var vector = new ChatEvent { Id = 10, Ts = Noon, Kind = ChatEventKind.File, From = "bob", FileName = "logo.svg", ContentType = "image/svg+xml", FileSize = 10 };

        var html = await RenderAsync([image, vector], "ann");

        Assert.Contains("<img class=\"shared-image\" src=\"/files/9\" alt=\"cat.png\"", html);
        Assert.Contains("<a class=\"shared-file\" href=\"/files/10\" download=\"logo.svg\">logo.svg</a>", html);
    }

    private static ChatEvent Message(long id, string from, string text, string html, string? to = null) =>
        new() { Id = id, Ts = Noon, Kind = ChatEventKind.Message, From = from, To = to, Text = text, Html = html };

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    private static async Task<string> RenderAsync(IReadOnlyList<ChatEvent> events, string reader, long since = 0)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
        var render = renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MessageList.Events)] = events,
                [nameof(MessageList.CurrentUser)] = reader,
                [nameof(MessageList.Since)] = since,
            });
            var output = await renderer.RenderComponentAsync<MessageList>(parameters);
            return output.ToHtmlString();
        });
        return await render.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
