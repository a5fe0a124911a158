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

        var claims = await Task.WhenAll(Task.Run(() => a.Accounts.TryCreate(Account("Jim", now), "t1")), Task.Run(() => b.Accounts.TryCreate(Account("jim", now), "t2")));

        Assert.Equal(1, claims.Count(won => won));
        var found = b.Accounts.Find("jim");
        Assert.NotNull(found);
        Assert.Equal(claims[0] ? "Jim" : "jim", found.Name);
        Assert.Equal("jim", a.Accounts.FindSession(claims[0] ? "t1" : "t2"));
        Assert.Null(a.Accounts.FindSession(claims[0] ? "t2" : "t1"));
    }

    [Fact]
    public async Task PasswordsSessionsAndSignOutAreTheSameOnEveryNode()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        await using var b = await ScaleoutNode.StartAsync(redis, "b");
        Assert.True(a.Accounts.TryCreate(Account("ann", DateTime.UtcNow), "t1"));

        b.Accounts.SetPassword("ann", "hash-of-secret");
        b.Accounts.AddSession("ann", "t2");
        Assert.Equal("hash-of-secret", a.Accounts.Find("ann")!.PasswordHash);
        Assert.Equal("ann", a.Accounts.FindSession("t2"));

        Assert.True(a.Accounts.SignOut("t2"));
        Assert.Null(b.Accounts.FindSession("t2"));
        Assert.Equal("ann", b.Accounts.FindSession("t1"));
        Assert.False(b.Accounts.SignOut("t2"));
    }

    [Fact]
    public async Task AReleasedNameGoesToItsNewOwnerOnceAndEndsTheOldOwnersSessions()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = await ScaleoutNode.StartAsync(redis, "a");
        var old = Account("ann", DateTime.UtcNow.AddDays(-60));
        Assert.True(a.Accounts.TryCreate(old, "old-token"));

        var newOwner = Account("Ann", DateTime.UtcNow);
        Assert.True(a.Accounts.TryReplace(old, newOwner, "new-token"));
        Assert.False(a.Accounts.TryReplace(old, Account("ANN", DateTime.UtcNow), "third-token"));

        Assert.Null(a.Accounts.FindSession("old-token"));
        Assert.Equal("ann", a.Accounts.FindSession("new-token"));
        Assert.Equal("Ann", a.Accounts.Find("ann")!.Name);
    }
}
