using ChatApp.Chat;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Chat;

public sealed class MessageRendererTests
{
    private readonly MessageRenderer _renderer = new();

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JAVASCRIPT:alert(1))")]
    [InlineData("[click]( javascript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)")]
    [InlineData("<div onmouseover=\"alert(1)\">hover</div>")]
    [InlineData("[x](http://a.example \"title\" onmouseover=alert(1))")]
    public void HostileMarkdownRendersNoScriptNoHandlerAndNoUnsafeLink(string markdown)
    {
        var html = _renderer.Render(markdown);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<div", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("(?i)<[^>]+\\son[a-z]+\\s*=", html);
        Assert.DoesNotMatch("(?i)href=\"\\s*(javascript|data|vbscript):", html);
        Assert.DoesNotMatch("(?i)src=\"", html);
    }

    [Theory]
    [InlineData("[site](https://example.com/a?b=1)", "href=\"https://example.com/a?b=1\"")]
    [InlineData("[site](http://example.com)", "href=\"http://example.com\"")]
    [InlineData("[mail](mailto:ann@example.com)", "href=\"mailto:ann@example.com\"")]
    [InlineData("see https://example.com/x", "href=\"https://example.com/x\"")]
    public void SafeLinksKeepTheirTargetAndDoNotHandOverThePage(string markdown, string expected)
    {
        var html = _renderer.Render(markdown);
        Assert.Contains(expected, html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
    }

    [Fact]
    public void BoldItalicAndCodeRender()
    {
        Assert.Equal("<p><strong>b</strong> <em>i</em> <code>c</code></p>\n", _renderer.Render("**b** *i* `c`"));
    }

    [Theory]
    [InlineData("hi :smile:", "<p>hi 😄</p>\n")]
    [InlineData(":thumbsup: and :tada:", "<p>👍 and 🎉</p>\n")]
    [InlineData("not a code :nosuchemoji: here", "<p>not a code :nosuchemoji: here</p>\n")]
    [InlineData("smileys stay :) as typed", "<p>smileys stay :) as typed</p>\n")]
    [InlineData("`:smile:` in code", "<p><code>:smile:</code> in code</p>\n")]
    public void EmojiShortcodesBecomeTheEmojiAndNothingElseChanges(string markdown, string expected)
    {
        Assert.Equal(expected, _renderer.Render(markdown));
    }

    [Fact]
    public void AnEmojiNextToHostileMarkdownLeavesItEscaped()
    {
        var html = _renderer.Render(":smile: <script>alert(1)</script> [x](javascript:alert(1))");
        Assert.StartsWith("<p>😄 &lt;script&gt;", html);
        Assert.DoesNotContain("javascript:", html);
    }

    [Fact]
    public async Task HostileMarkdownArrivesEscapedOverTheWire()
    {
        await using var server = await ChatServer.StartAsync();
        await using var jim = await server.JoinAsync("jim");
        const string hostile = "<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=alert(1)>b</b>";
        await jim.SendJsonAsync(new { type = "message", text = hostile });
        var message = await jim.ExpectMessageAsync(hostile);
        var html = message.GetProperty("html").GetString()!;
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.DoesNotContain("<b ", html);
    }
}
