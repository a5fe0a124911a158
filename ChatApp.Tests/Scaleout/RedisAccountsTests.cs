using ChatApp.Accounts;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Scaleout;

public sealed class RedisAccountsTests
{
    private static UserAccount Account(string name, DateTime created, string? password = null) =>
        new() { NameKey = name.ToLowerInvariant(), Name = name, CreatedAt = created, LastSeenAt = created, PasswordHash = password };

    [Fact]
    public async Task ANameClaimedOnOneNodeIsTakenOnTheOther()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");
        var now = DateTime.UtcNow;

        var claims = await Task.WhenAll(a.Accounts.TryCreateAsync(Account("Jim", now), "t1"), b.Accounts.TryCreateAsync(Account("jim", now), "t2"));

        Assert.Equal(1, claims.Count(won => won));
        var found = await b.Accounts.FindAsync("jim");
        Assert.NotNull(found);
        Assert.Equal(claims[0] ? "Jim" : "jim", found.Name);
        Assert.Equal("jim", await a.Accounts.FindSessionAsync(claims[0] ? "t1" : "t2"));
        Assert.Null(await a.Accounts.FindSessionAsync(claims[0] ? "t2" : "t1"));
    }

    [Fact]
    public async Task PasswordsSessionsAndSignOutAreTheSameOnEveryNode()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");
        Assert.True(await a.Accounts.TryCreateAsync(Account("ann", DateTime.UtcNow), "t1"));

        await b.Accounts.SetPasswordAsync("ann", "hash-of-secret");
        await b.Accounts.AddSessionAsync("ann", "t2");
        Assert.Equal("hash-of-secret", (await a.Accounts.FindAsync("ann"))!.PasswordHash);
        Assert.Equal("ann", await a.Accounts.FindSessionAsync("t2"));

        Assert.True(await a.Accounts.SignOutAsync("t2"));
        Assert.Null(await b.Accounts.FindSessionAsync("t2"));
        Assert.Equal("ann", await b.Accounts.FindSessionAsync("t1"));
        Assert.False(await b.Accounts.SignOutAsync("t2"));
    }

    [Fact]
    public async Task AReleasedNameGoesToItsNewOwnerOnceAndEndsTheOldOwnersSessions()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        var old = Account("ann", DateTime.UtcNow.AddDays(-60));
        Assert.True(await a.Accounts.TryCreateAsync(old, "old-token"));

        var newOwner = Account("Ann", DateTime.UtcNow);
        Assert.True(await a.Accounts.TryReplaceAsync(old, newOwner, "new-token"));
        Assert.False(await a.Accounts.TryReplaceAsync(old, Account("ANN", DateTime.UtcNow), "third-token"));

        Assert.Null(await a.Accounts.FindSessionAsync("old-token"));
        Assert.Equal("ann", await a.Accounts.FindSessionAsync("new-token"));
        Assert.Equal("Ann", (await a.Accounts.FindAsync("ann"))!.Name);
    }

    [Fact]
    public async Task AClaimGivenBackLeavesTheNameToItsOldOwnerOrToNobody()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        var old = Account("ann", DateTime.UtcNow.AddDays(-60));
        Assert.True(await a.Accounts.TryCreateAsync(old, "old-token"));
        var newOwner = Account("Ann", DateTime.UtcNow);
        Assert.True(await a.Accounts.TryReplaceAsync(old, newOwner, ""));

        Assert.True(await a.Accounts.TryWithdrawAsync(newOwner, old));
        Assert.Equal(old.CreatedAt, (await a.Accounts.FindAsync("ann"))!.CreatedAt);
        Assert.False(await a.Accounts.TryWithdrawAsync(newOwner, old)); // the name changed meanwhile: left alone

        var fresh = Account("bob", DateTime.UtcNow);
        Assert.True(await a.Accounts.TryCreateAsync(fresh, "", ["bob"]));
        Assert.True(await a.Accounts.TryWithdrawAsync(fresh, null));
        Assert.Null(await a.Accounts.FindAsync("bob"));
        Assert.True(await a.Accounts.TryCreateAsync(Account("bob", DateTime.UtcNow), "", ["bob"])); // its look-alike entry holds nothing
    }

    [Fact]
    public async Task SeveralNamesAreReadTogetherInTheirOrderWithNullForNamesNobodyClaimed()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");
        Assert.True(await a.Accounts.TryCreateAsync(Account("Ann", DateTime.UtcNow), "t1"));
        Assert.True(await a.Accounts.TryCreateAsync(Account("bob", DateTime.UtcNow, password: "hash"), "t2"));

        var found = await b.Accounts.FindAllAsync(["bob", "nobody", "ann"]).WaitAsync(ChatServer.Timeout);

        Assert.Equal(["bob", null, "Ann"], found.Select(account => account?.Name));
        Assert.Equal("hash", found[0]!.PasswordHash);
        Assert.Empty(await b.Accounts.FindAllAsync([]).WaitAsync(ChatServer.Timeout));
    }
}
