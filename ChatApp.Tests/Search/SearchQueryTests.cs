using ChatApp.Search;

namespace ChatApp.Tests.Search;

public sealed class SearchQueryTests
{
    [Theory]
    [InlineData("cat", "\"cat\"*")]
    [InlineData("  cat   dog ", "\"cat\"* AND \"dog\"*")]
    [InlineData("say \"hi\"", "\"say\"* AND \"\"\"hi\"\"\"*")]
    [InlineData("cat OR dog", "\"cat\"* AND \"OR\"* AND \"dog\"*")]
    [InlineData("NEAR(a b) col:x -y ^z", "\"NEAR(a\"* AND \"b)\"* AND \"col:x\"* AND \"-y\"* AND \"^z\"*")]
    [InlineData("Zoë café", "\"Zoë\"* AND \"café\"*")]
    [InlineData("cat -- ?", "\"cat\"*")]
    public void EveryWordIsQuotedRequiredAndMatchedAsAPrefix(string words, string expected)
    {
        var (match, error) = SearchQuery.Parse(words);
        Assert.Null(error);
        Assert.Equal(expected, match);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-- ?! ***")]
    public void AnEmptyQueryIsABadRequest(string? words)
    {
        var (match, error) = SearchQuery.Parse(words);
        Assert.Null(match);
        Assert.Equal("bad_request", error!.Code);
    }

    [Fact]
    public void AnOverLongQueryIsABadRequest()
    {
        Assert.Equal("bad_request", SearchQuery.Parse(new string('a', SearchQuery.MaxQueryLength + 1)).Error!.Code);
        Assert.Equal("bad_request", SearchQuery.Parse(string.Join(' ', Enumerable.Repeat("w", SearchQuery.MaxWords + 1))).Error!.Code);
        Assert.Null(SearchQuery.Parse(new string('a', SearchQuery.MaxQueryLength)).Error);
    }

    [Theory]
    [InlineData("a \u0002cat\u0003 sat", "a <mark>cat</mark> sat")]
    [InlineData("<b>\u0002x\u0003</b> & \"q\" 'r'", "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; &quot;q&quot; &#39;r&#39;")]
    [InlineData("\u0002<script>\u0003", "<mark>&lt;script&gt;</mark>")]
    [InlineData("\u0003stray\u0002open", "stray<mark>open</mark>")]
    [InlineData("\u0002a\u0002b\u0003\u0003", "<mark>ab</mark>")]
    [InlineData("Zoë…", "Zoë…")]
    [InlineData("", "")]
    public void TheSnippetIsEscapedHtmlWithBalancedMarks(string marked, string expected)
    {
        Assert.Equal(expected, SearchSnippet.ToHtml(marked));
    }
}
