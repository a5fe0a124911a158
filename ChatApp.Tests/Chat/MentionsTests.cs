using ChatApp.Chat;

namespace ChatApp.Tests.Chat;

public sealed class MentionsTests
{
    // Claimed names as first claimed, found case-insensitively, as AccountStore.Find does.
    private static readonly string[] Claimed = ["Ann", "bob", "j.im", "Zoë", "x-y_z"];

    private static string? ClaimedName(string name) => Claimed.FirstOrDefault(c => Names.Equal(c, name));

    private static IReadOnlyList<string> Find(string text) => Mentions.Find(text, ClaimedName);

    [Fact]
    public void AClaimedNameIsFoundCaseInsensitivelyAndShownAsFirstClaimed()
    {
        Assert.Equal(["Ann"], Find("hi @ann"));
        Assert.Equal(["bob"], Find("@BOB look"));
    }

    [Theory]
    [InlineData("thanks @ann.")]
    [InlineData("thanks @ann,")]
    [InlineData("@ann: look")]
    [InlineData("@ann; look")]
    [InlineData("thanks @ann!")]
    [InlineData("really @ann?")]
    [InlineData("really @ann?!...")]
    [InlineData("(@ann)")]
    public void TrailingPunctuationIsNotPartOfTheName(string text)
    {
        Assert.Equal(["Ann"], Find(text));
    }

    [Fact]
    public void NamesWithDotsDashesUnderscoresAndNonAsciiLettersAreFound()
    {
        Assert.Equal(["j.im", "Zoë", "x-y_z"], Find("@j.im. @ZOË and @x-y_z!"));
    }

    [Theory]
    [InlineData("@nobody here")]
    [InlineData("mail ann@example.com")]
    [InlineData("just an @ sign")]
    [InlineData("@")]
    [InlineData("")]
    [InlineData("no at all")]
    public void UnclaimedNamesAndAddressesAreNoMentions(string text)
    {
        Assert.Empty(Find(text));
    }

    [Fact]
    public void EachNameIsListedOnceInOrderOfFirstMention()
    {
        Assert.Equal(["bob", "Ann"], Find("@bob @ann @Bob @ANN, @bob"));
    }

    [Fact]
    public void ANameLongerThanAnyClaimableOneIsNoMention()
    {
        var lookedUp = new List<string>();
        Assert.Empty(Mentions.Find("@" + new string('a', 33), name => { lookedUp.Add(name); return name; }));
        Assert.Empty(lookedUp);
    }

    [Fact]
    public void AMessageFullOfCandidatesCostsABoundedNumberOfLookups()
    {
        var lookups = 0;
        var text = string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"@user{i}"));
        Mentions.Find(text, _ => { lookups++; return null; });
        Assert.Equal(Mentions.MaxCandidates, lookups);
    }
}
