using Bunit;
using ChatApp.Chat;
using ChatApp.Pages.Components;

namespace ChatApp.Tests.Pages.Components;

/// <summary>The server-rendered log (first paint), rendered with bunit.</summary>
public sealed class MessageListTests : BunitContext
{
    private static readonly DateTime Noon = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void TheLogIsALiveRegionNamedMessagesCarryingTheIdToGoOnFrom()
    {
        var log = RenderLog([], "ann", since: 17);

        log.MarkupMatches("""<div id="messages" class="log" role="log" aria-live="polite" aria-label="Messages" tabindex="0" data-since="17"></div>""");
    }

    [Fact]
    public void AMessageCarriesItsIdSenderLinkedToTheProfileTimeAndTheServersHtmlUnescaped()
    {
        var log = RenderLog([Message(42, "bob", "<p><strong>hi</strong></p>\n")], "ann");

        var entry = log.Find("[data-id='42']");
        Assert.Equal("entry talk", entry.ClassName);
        entry.QuerySelector(".meta")!.MarkupMatches("""
            <div class="meta">
              <a class="from" href="/profile/bob">bob</a>
              <time datetime="2026-11-22T12:00:00.000Z">12:00 UTC</time>
            </div>
            """);
        entry.QuerySelector(".body")!.MarkupMatches("""<div class="body"><p><strong>hi</strong></p></div>""");
        Assert.Null(entry.GetAttribute("data-private"));
    }

    [Fact]
    public void EverythingButTheRenderedHtmlIsEscaped()
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

        var log = RenderLog([notice, file], "ann");

        Assert.Empty(log.FindAll("script"));
        Assert.Contains("<script>alert(1)</script>", log.Find("[data-id='7'] .text").TextContent);
        Assert.Empty(log.FindAll("img"));
        Assert.Equal("\"><img src=x onerror=alert(1)>.txt", log.Find("a[download]").GetAttribute("download"));
        Assert.Equal("2 KB", log.Find(".size").TextContent);
    }

    [Fact]
    public void APrivateMessageIsMarkedAndShowsTheOtherPartyWithAReplyButton()
    {
        var log = RenderLog([Message(5, "ann", "<p>secret</p>", to: "bob"), Message(6, "bob", "<p>back</p>", to: "ann", minutes: 10)], "ANN");

        Assert.Equal("entry talk mine private", log.Find("[data-id='5']").ClassName);
        Assert.Equal("private to bob", log.Find("[data-id='5'] .private-tag").TextContent);
        log.Find("[data-id='5'] .reply").MarkupMatches("""<button type="button" class="reply" data-reply="bob" title="Reply privately to bob">Reply</button>""");
        Assert.Equal("entry talk private", log.Find("[data-id='6']").ClassName);
        Assert.Equal("private to you", log.Find("[data-id='6'] .private-tag").TextContent);
        Assert.Equal(2, log.FindAll("[data-private='true']").Count);
    }

    [Fact]
    public void RasterImagesShowInlineAndOtherFilesAreDownloadLinksWithATypeIcon()
    {
        var image = new ChatEvent { Id = 9, Ts = Noon, Kind = ChatEventKind.File, From = "bob", FileName = "cat.png", ContentType = "image/png", FileSize = 10 };
        var vector = new ChatEvent { Id = 10, Ts = Noon, Kind = ChatEventKind.File, From = "bob", FileName = "logo.svg", ContentType = "image/svg+xml", FileSize = 10 };

        var log = RenderLog([image, vector], "ann");

        log.Find("[data-id='9'] .body").MarkupMatches("""
            <div class="body"><img class="shared-image" src="/files/9" alt="cat.png" loading="lazy" data-url="/files/9" data-size="10"></div>
            """);
        log.Find("[data-id='10'] .body").MarkupMatches("""
            <div class="body">
              <span class="file-icon" aria-hidden="true">SVG</span>
              <a class="shared-file" href="/files/10" download="logo.svg">logo.svg</a>
              <span class="size">10 B</span>
            </div>
            """);
    }

    [Fact]
    public void MessagesFromOneSenderWithinFiveMinutesAreGroupedUnderTheFirstOnesName()
    {
        var log = RenderLog(
        [
            Message(1, "bob", "<p>one</p>"),
            Message(2, "BOB", "<p>two</p>", minutes: 4),
            Message(3, "bob", "<p>private</p>", to: "ann", minutes: 5),
            Message(4, "ann", "<p>mine</p>", minutes: 6),
            Message(5, "ann", "<p>much later</p>", minutes: 12),
        ], "ann");

        Assert.DoesNotContain("continued", log.Find("[data-id='1']").ClassName);
        Assert.Contains("continued", log.Find("[data-id='2']").ClassName);
        Assert.DoesNotContain("continued", log.Find("[data-id='3']").ClassName); // private: another conversation
        Assert.DoesNotContain("continued", log.Find("[data-id='4']").ClassName);
        Assert.DoesNotContain("continued", log.Find("[data-id='5']").ClassName);
    }

    [Fact]
    public void ADaySeparatorOpensTheLogAndEachNewDay()
    {
        var log = RenderLog([Message(1, "bob", "<p>late</p>", minutes: 11 * 60 + 59), Message(2, "bob", "<p>early</p>", minutes: 12 * 60 + 1)], "ann");

        var separators = log.FindAll(".day-separator");
        Assert.Equal(2, separators.Count);
        separators[0].MarkupMatches("""<div class="day-separator" data-day="2026-11-22">Sunday, 22 November 2026</div>""");
        separators[1].MarkupMatches("""<div class="day-separator" data-day="2026-11-23">Monday, 23 November 2026</div>""");
        Assert.DoesNotContain("continued", log.Find("[data-id='2']").ClassName);
    }

    [Fact]
    public void JoinAndPartNoticesSayJoinedAndLeftWithTheNameLinkedToItsProfile()
    {
        var join = new ChatEvent { Id = 1, Ts = Noon, Kind = ChatEventKind.System, SystemEvent = "join", User = "bob", Text = "bob joined" };
        var part = new ChatEvent { Id = 2, Ts = Noon, Kind = ChatEventKind.System, SystemEvent = "part", User = "bob", Text = "bob parted" };

        var log = RenderLog([join, part], "ann");

        log.Find("[data-id='1'] .text").MarkupMatches("""<span class="text"><a class="who" href="/profile/bob">bob</a> joined</span>""");
        Assert.Equal("bob left", log.Find("[data-id='2'] .text").TextContent);
    }

    [Fact]
    public void TheOwnersProfileNoticeReadsAsASentence()
    {
        var notice = new ChatEvent
        {
            Id = 3, Ts = Noon, Kind = ChatEventKind.System, SystemEvent = "profile", User = "ann", To = "ann", Ip = "10.0.0.1",
            Text = "ann, someone from 10.0.0.1 checked out your profile",
        };

        var log = RenderLog([notice], "ann");

        Assert.Equal("ann, someone from 10.0.0.1 checked out your profile (only you see this) 12:00 UTC", log.Find("[data-id='3']").TextContent.Trim());
    }

    private static ChatEvent Message(long id, string from, string html, string? to = null, int minutes = 0) =>
        new() { Id = id, Ts = Noon.AddMinutes(minutes), Kind = ChatEventKind.Message, From = from, To = to, Text = html, Html = html };

    private IRenderedComponent<MessageList> RenderLog(IReadOnlyList<ChatEvent> events, string reader, long since = 0) =>
        Render<MessageList>(parameters => parameters
            .Add(p => p.Events, events)
            .Add(p => p.CurrentUser, reader)
            .Add(p => p.Since, since));
}
