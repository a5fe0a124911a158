using Bunit;
using ChatApp.Pages.Components;

namespace ChatApp.Tests.Pages.Components;

public sealed class JoinFormTests : BunitContext
{
    [Fact]
    public void AFreshFormPostsTheNameAndItsAntiforgeryTokenWithThePasswordFolded()
    {
        var form = Render<JoinForm>(p => p.Add(x => x.AntiforgeryField, "__token").Add(x => x.AntiforgeryToken, "abc"));

        Assert.Equal("/?handler=Join", form.Find("form").GetAttribute("action"));
        form.Find("input[type=hidden]").MarkupMatches("""<input type="hidden" name="__token" value="abc">""");
        Assert.Equal("false", form.Find("#join-name").GetAttribute("aria-invalid"));
        Assert.False(form.Find("details").HasAttribute("open"));
        Assert.Equal("Join", form.Find("button[type=submit]").TextContent);
    }

    [Fact]
    public void ARefusedNameIsKeptWithItsReasonAndThePasswordFieldOpen()
    {
        var form = Render<JoinForm>(p => p.Add(x => x.Name, "olga").Add(x => x.Error, "That name is taken."));

        Assert.Equal("olga", form.Find("#join-name").GetAttribute("value"));
        Assert.Equal("true", form.Find("#join-name").GetAttribute("aria-invalid"));
        form.Find("#join-error").MarkupMatches("""<p id="join-error" class="field-error" role="alert">That name is taken.</p>""");
        Assert.True(form.Find("details").HasAttribute("open"));
    }
}
