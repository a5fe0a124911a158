using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatApp.Tests.Infrastructure;

/// <summary>What a visitor reads on a user's profile page (<c>GET /profile/{name}</c>).</summary>
public static partial class ProfilePage
{
    /// <summary>The count of public messages the page shows for <paramref name="name"/> (each visit also notifies the owner).</summary>
    public static async Task<long> PublicMessagesOnProfileAsync(this IChatNode node, string name)
    {
        using var visitor = node.Client();
        var html = await visitor.GetStringAsync($"/profile/{name}");
        var count = PublicMessages().Match(html);
        Assert.True(count.Success, html);
        return long.Parse(count.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("data-public-messages=\"(\\d+)\"")]
    private static partial Regex PublicMessages();
}
