using ChatApp.Chat;

namespace ChatApp.Tests.Chat;

public sealed class MentionsTests
{
    // Claimed names as first claimed, found case-insensitively, as AccountStore.FindAllAsync does.
    private static readonly string[] Claimed = ["Ann", "bob", "j.im", "Zoë", "x-y_z"];

    private static string? ClaimedName(string name) => Claimed.FirstOrDefault(c => Names.Equal(c, name));

    private static IReadOnlyList<string> Find(string text) => Mentions.Resolve(Mentions.Candidates(text).Select(ClaimedName));

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
    public void ANameLongerThanAnyClaimableOneIsNotLookedUp()
    {
        Assert.Empty(Mentions.Candidates("@" + new string('a', 33)));
    }

    [Fact]
    public void AMessageFullOfCandidatesCostsABoundedNumberOfLookups()
    {
        var text = string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"@user{i}"));
        Assert.Equal(Enumerable.Range(0, Mentions.MaxCandidates).Select(i => $"user{i}"), Mentions.Candidates(text));
    }

    [Fact]
    public void RepeatsInAnyCaseCountOnceTowardsTheCapAndANameAfterTheCapIsNotLookedUp()
    {
        var others = Enumerable.Range(0, Mentions.MaxCandidates - 1).Select(i => $"@user{i} @USER{i}");
        Assert.Equal("ann", Mentions.Candidates($"{string.Join(' ', others)} @ann")[^1]); // the fiftieth distinct name
        Assert.DoesNotContain("ann", Mentions.Candidates($"{string.Join(' ', others)} @other @ann"));
    }
}
