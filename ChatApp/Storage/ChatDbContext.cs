using ChatApp.Accounts;
using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>The SQLite database in Chat:DataDir. Its tables are created and upgraded by <see cref="SchemaUpgrader"/>, not by EF migrations.</summary>
public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public DbSet<ChatEvent> Events => Set<ChatEvent>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    // SQLite keeps no time zone: every time stored is UTC, and is read back as UTC.
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions) =>
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<ChatEvent>(e =>
        {
            e.ToTable("Events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasConversion<string>();
            e.Ignore(x => x.IsPrivate);
            e.Ignore(x => x.IsTalk);
            e.Ignore(x => x.IsConversation);
            e.Ignore(x => x.IsChange);
            e.Ignore(x => x.IsSuperseded);
        });
        model.Entity<UserAccount>(e =>
        {
            e.ToTable("Users");
            e.HasKey(x => x.NameKey);
        });
        model.Entity<SessionRecord>(e =>
        {
            e.ToTable("Sessions");
            e.HasKey(x => x.TokenHash);
        });
    }
}
