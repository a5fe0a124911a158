using Bunit;
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
              <a class="profile-link" href="/profile/Bob%20Two" title="Bob Two’s profile" aria-label="Bob Two’s profile"><svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><circle cx="8" cy="5" r="3" fill="currentColor"/><path d="M2 15c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5z" fill="currentColor"/></svg></a>
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
}
