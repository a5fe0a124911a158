using Bunit;
using ChatApp.Accounts;
using ChatApp.Pages.Components;

namespace ChatApp.Tests.Pages.Components;

public sealed class ProfileCardTests : BunitContext
{
    private static readonly UserAccount Jim = new()
    {
        NameKey = "JIM", Name = "Jim", CreatedAt = new(2026, 11, 1, 8, 30, 0, DateTimeKind.Utc), LastSeenAt = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc),
    };

    [Fact]
    public void AnOfflineUserShowsWhenLastSeenAsATimeTheScriptLocalizes()
    {
        var card = Render<ProfileCard>(p => p.Add(x => x.Account, Jim).Add(x => x.PublicMessages, 3));

        card.Find("h1").MarkupMatches("<h1>Jim</h1>");
        card.Find("[data-online]").MarkupMatches("""<dd data-online="false">Offline</dd>""");
        var times = card.FindAll("time");
        times[0].MarkupMatches("""<time datetime="2026-11-22T12:00:00.000Z">2026-11-22 12:00 UTC</time>""");
        times[1].MarkupMatches("""<time datetime="2026-11-01T08:30:00.000Z">2026-11-01 08:30 UTC</time>""");
        Assert.Equal("3", card.Find("[data-public-messages]").TextContent);
    }

    [Fact]
    public void AnOnlineUserIsOnlineNowAndLastSeenNow()
    {
        var card = Render<ProfileCard>(p => p.Add(x => x.Account, Jim).Add(x => x.Online, true));

        card.Find("[data-online]").MarkupMatches("""<dd class="online-now" data-online="true">Online now</dd>""");
        Assert.Single(card.FindAll("time"));
        Assert.Contains("Now", card.Find("dl").TextContent);
    }
}
