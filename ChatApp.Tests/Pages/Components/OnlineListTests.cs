using Bunit;
using ChatApp.Chat;
using ChatApp.Pages;
using ChatApp.Pages.Components;

namespace ChatApp.Tests.Pages.Components;

public sealed class OnlineListTests : BunitContext
{
    [Fact]
    public void EachNameStartsAPrivateMessageAndLinksToItsProfile()
    {
        var list = Render<OnlineList>(p => p.Add(x => x.Users, ["ann", "Bob Two"]).Add(x => x.CurrentUser, "zed"));

        list.Find("li[data-user='Bob Two']").MarkupMatches("""
            <li aria-label="Bob Two" data-user="Bob Two">
              <button type="button" class="user" title="Private message to Bob Two">Bob Two</button>
              <a class="profile-link" href="/profile/Bob%20Two" title="Bob Two’s profile" aria-label="Bob Two’s profile"></a>
            </li>
            """);
    }

    [Fact]
    public void TheReadersOwnNameOnlyLinksItCannotStartAPrivateMessageToThemselves()
    {
        var list = Render<OnlineList>(p => p.Add(x => x.Users, ["ann", "bob"]).Add(x => x.CurrentUser, "ANN"));

        var own = list.Find("li[data-user='ann']");
        Assert.Equal("me", own.ClassName);
        Assert.True(own.QuerySelector("button.user")!.HasAttribute("disabled"));
        Assert.False(list.Find("li[data-user='bob'] button.user").HasAttribute("disabled"));
        Assert.Equal("Online", list.Find("ul").GetAttribute("aria-label"));
    }

    [Fact]
    public void NamesAreTextInTheMarkupWhateverTheyHoldHtmlAndQuotesIncluded()
    {
        const string hostile = "x\" onclick=\"alert(1)\" <b>&amp;'é";
        var list = Render<OnlineList>(p => p.Add(x => x.Users, [hostile, "zed"]).Add(x => x.CurrentUser, "zed"));

        var item = list.Find("li");
        Assert.Equal(hostile, item.GetAttribute("data-user"));
        Assert.Equal(hostile, item.GetAttribute("aria-label"));
        Assert.Null(item.GetAttribute("onclick"));
        Assert.Empty(list.FindAll("b"));
        Assert.Equal(hostile, item.QuerySelector("button")!.TextContent);
        Assert.Equal($"Private message to {hostile}", item.QuerySelector("button")!.GetAttribute("title"));
        Assert.Equal(ProfileLink.For(hostile), item.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(2, list.FindAll("li").Count);
    }

    [Fact]
    public void OneRosterDrawnForManyReadersShowsEachReaderOnlyTheirOwnEntryAsTheirs()
    {
        // The room hands every page drawn before the next change the same list, and the entries drawn for it are
        // kept: one reader's own entry must not become anyone else's.
        var presence = new DefaultRoomPresence();
        foreach (var name in new[] { "ann", "bob", "cy" }) presence.Add(name);
        var users = presence.OnlineNames();
        Assert.Same(users, presence.OnlineNames()); // until presence changes

        foreach (var reader in new[] { "bob", "ann", "BOB", "cy", "nobody" })
        {
            var list = Render<OnlineList>(p => p.Add(x => x.Users, users).Add(x => x.CurrentUser, reader));
            Assert.Equal(["ann", "bob", "cy"], list.FindAll("li").Select(li => li.GetAttribute("data-user")));
            foreach (var li in list.FindAll("li"))
            {
                var own = Names.Equal(li.GetAttribute("data-user")!, reader);
                Assert.Equal(own ? "me" : "", li.ClassName ?? "");
                Assert.Equal(own, li.QuerySelector("button.user")!.HasAttribute("disabled"));
                Assert.Equal(own ? "You" : $"Private message to {li.GetAttribute("data-user")}", li.QuerySelector("button.user")!.GetAttribute("title"));
            }
        }
    }

    [Fact]
    public void AfterAJoinAndAPartTheListDrawsWhoIsOnlineNowInOrder()
    {
        var presence = new DefaultRoomPresence();
        foreach (var name in new[] { "bob", "dee", "eve" }) presence.Add(name);
        var before = presence.OnlineNames();
        Render<OnlineList>(p => p.Add(x => x.Users, before).Add(x => x.CurrentUser, "eve"));

        presence.Add("Ann"); // first, between the kept entries' names and after them
        presence.Add("cy");
        presence.Add("zed");
        presence.Remove("dee");
        presence.Drop("dee");
        var after = presence.OnlineNames();
        Assert.NotSame(before, after);
        Assert.Equal(["bob", "dee", "eve"], before); // a list handed out never changes

        var list = Render<OnlineList>(p => p.Add(x => x.Users, after).Add(x => x.CurrentUser, "eve"));
        Assert.Equal(["Ann", "bob", "cy", "eve", "zed"], list.FindAll("li").Select(li => li.GetAttribute("data-user")));
        Assert.Equal(["Ann", "bob", "cy", "eve", "zed"], list.FindAll("button.user").Select(b => b.TextContent));
        Assert.Equal(["/profile/Ann", "/profile/bob", "/profile/cy", "/profile/eve", "/profile/zed"], list.FindAll("a.profile-link").Select(a => a.GetAttribute("href")));
        Assert.Equal("eve", list.Find("li.me").GetAttribute("data-user"));
    }
}
