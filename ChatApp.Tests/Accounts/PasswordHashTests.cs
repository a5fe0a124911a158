using System.Net;
using System.Net.Http.Json;
using ChatApp.Accounts;
using ChatApp.Storage;
using ChatApp.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatApp.Tests.Accounts;

public sealed class PasswordHashTests
{
    /// <summary>Made by the PBKDF2 code ChatApp used before the framework's hasher, for the password "old secret".</summary>
    private const string LegacyHash = "pbkdf2$100000$FbvPQpVbRFAPT9GWr1S1pA==$TjJj+U9Sw/a3LaJmJ9ljMrLKDkQ1bHC18fiENzOJclE=";

    private static async Task<HttpStatusCode> ClaimAsync(ChatServer server, string name, string password)
    {
        using var client = server.Client();
        using var response = await client.PostAsJsonAsync("/api/session", new { name, password });
        return response.StatusCode;
    }

    private static async Task<string?> StoredHashAsync(ChatServer server, string key)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync();
        return (await db.Users.AsNoTracking().SingleAsync(u => u.NameKey == key)).PasswordHash;
    }

    [Fact]
    public async Task NewPasswordsAreStoredInTheFrameworksFormat()
    {
        await using var server = await ChatServer.StartAsync();
        await server.SignInAsync("fresh", "pw");
        var stored = await StoredHashAsync(server, "FRESH");
        Assert.False(LegacyPasswordHash.IsLegacy(stored!));
        Assert.StartsWith("AQAAAA", stored); // the framework's version 3 format, base64
    }

    [Fact]
    public async Task AnOldHashStillSignsInAndIsRehashedThen()
    {
        await using var server = await ChatServer.StartAsync();
        await using (var db = await server.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync())
        {
            db.Users.Add(new UserAccount { NameKey = "OLDTIMER", Name = "oldtimer", PasswordHash = LegacyHash, CreatedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        await server.RestartAsync();

        Assert.Equal(HttpStatusCode.Conflict, await ClaimAsync(server, "oldtimer", "not it"));
        Assert.Equal(LegacyHash, await StoredHashAsync(server, "OLDTIMER"));
        Assert.Equal(HttpStatusCode.OK, await ClaimAsync(server, "oldtimer", "old secret"));

        var rehashed = await StoredHashAsync(server, "OLDTIMER");
        Assert.False(LegacyPasswordHash.IsLegacy(rehashed!));
        await server.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, await ClaimAsync(server, "oldtimer", "old secret"));
    }

    [Fact]
    public async Task UsersWhoseNamesLookAlikeFromBeforeTheRuleKeepTheirNames()
    {
        await using var server = await ChatServer.StartAsync();
        await server.SignInAsync("admin", "latin");
        await using (var db = await server.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContextAsync())
        {
            // Claimed before look-alikes were refused: Cyrillic а.
            db.Users.Add(new UserAccount { NameKey = "\u0410DMIN", Name = "\u0430dmin", PasswordHash = LegacyHash, CreatedAt = DateTime.UtcNow, LastSeenAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        await server.RestartAsync();

        Assert.Equal(HttpStatusCode.OK, await ClaimAsync(server, "\u0430dmin", "old secret"));
        Assert.Equal(HttpStatusCode.OK, await ClaimAsync(server, "admin", "latin"));
        Assert.Equal(HttpStatusCode.Conflict, await ClaimAsync(server, "ａｄｍｉｎ", "latin"));
    }
}
