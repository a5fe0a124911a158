using ChatApp.Pages;

namespace ChatApp.Tests.Pages;

public sealed class MessageCommandTests
{
    [Theory]
    [InlineData("/msg bob hello there", "bob", "hello there")]
    [InlineData("/MSG  bob   two\nlines", "bob", "two\nlines")]
    [InlineData("/msg bob", "bob", "")]
    public void SlashMsgNamesTheRecipientAndKeepsTheRest(string input, string to, string text)
    {
        Assert.Equal((to, text), MessageCommand.Parse(input));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("/msgbob hi")]
    [InlineData("/msg")]
    [InlineData("/msg ")]
    [InlineData("say /msg bob hi")]
    public void AnythingElseIsAPublicMessageAsTyped(string input)
    {
        Assert.Equal(((string?)null, input), MessageCommand.Parse(input));
    }
}
