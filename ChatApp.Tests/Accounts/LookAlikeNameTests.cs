using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatApp.Accounts;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Accounts;

/// <summary>PROTOCOL.md §1: names are compared by a confusable-insensitive skeleton.</summary>
public sealed class LookAlikeNameTests : IAsyncLifetime
{
    private ChatServer _server = null!;

    public async Task InitializeAsync() => _server = await ChatServer.StartAsync();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, string? Error)> ClaimAsync(string name)
    {
        using var client = _server.Client();
        using var response = await client.PostAsJsonAsync("/api/session", new { name });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.Text("error"));
    }

    [Theory]
    [InlineData("\u0455ystem")]          // Cyrillic ѕ
    [InlineData("ｓｙｓｔｅｍ")]            // fullwidth
    [InlineData("SYST\u0395M")]          // Greek Ε
    [InlineData("\u0405\u04AF\u0455t\u0435m")] // Cyrillic Ѕ, ү, ѕ, е
    public async Task ALookAlikeOfSystemIsABadName(string name)
    {
        Assert.Equal((HttpStatusCode.BadRequest, "bad_name"), await ClaimAsync(name));
    }

    [Theory]
    [InlineData("admin", "\u0430dmin")]   // Cyrillic а
    [InlineData("admin", "ａｄｍｉｎ")]     // fullwidth
    [InlineData("admin", "ADM\u0399N")]   // Greek Ι, upper case
    [InlineData("bob", "b0b")]            // digit zero
    [InlineData("Ian", "lan")]            // capital I and small l
    [InlineData("modern", "rnodern")]     // rn and m
    [InlineData("user7", "user\u0667")]   // Arabic-Indic seven
    public async Task ALookAlikeOfATakenNameIsNameTaken(string taken, string lookAlike)
    {
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(taken)).Status);
        Assert.Equal((HttpStatusCode.Conflict, "name_taken"), await ClaimAsync(lookAlike));
    }

    [Theory]
    [InlineData("jim", "jin")]
    [InlineData("ann", "anna")]
    [InlineData("Зоя", "Зоі")]            // Cyrillic names that are not look-alikes of each other
    [InlineData("李小龙", "李小虎")]
    public async Task NamesThatOnlyShareLettersAreDifferentNames(string first, string second)
    {
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await ClaimAsync(second)).Status);
    }

    [Fact]
    public void SkeletonsFoldCompatibilityFormsAndScripts()
    {
        Assert.Equal(NameSkeleton.Of("admin"), NameSkeleton.Of("ａｄｍｉｎ"));
        Assert.Equal(NameSkeleton.Of("office"), NameSkeleton.Of("o\uFB03ce")); // ﬃ ligature
        Assert.Equal(NameSkeleton.Of("paypal"), NameSkeleton.Of("\u0440\u0430\u0443\u0440\u0430l"));
        Assert.NotEqual(NameSkeleton.Of("admin"), NameSkeleton.Of("admln"));
    }
}
