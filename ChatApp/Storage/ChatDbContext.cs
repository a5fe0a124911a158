using ChatApp.Accounts;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// The SQLite database in Chat:DataDir. This model is the schema: change it, then add a migration
/// (README, "Changing the schema"); <see cref="SchemaMigrator"/> applies migrations at start-up.
/// </summary>
public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public DbSet<StoredEvent> Events => Set<StoredEvent>();
    public DbSet<Sender> Senders => Set<Sender>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<OnlineUser> OnlineUsers => Set<OnlineUser>();

    // SQLite keeps no time zone: every time stored is UTC, and is read back as UTC.
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions) =>
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class UnixMillisecondsConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, long>(
        v => UnixMilliseconds.Of(v), v => UnixMilliseconds.ToTime(v));

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<StoredEvent>(e =>
        {
            e.ToTable("Events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever(); // the room numbers events; the row keeps its number
            e.Property(x => x.Ts).HasConversion<UnixMillisecondsConverter>();
            e.Property(x => x.Kind).HasConversion<int>(); // its number (ChatEventKind), one byte or none
            // Private history is read by recipient.
            e.HasIndex(x => x.To).HasDatabaseName("IX_Events_To").HasFilter("\"To\" IS NOT NULL");
            // Edits and deletions of a message are found by their target (a deletion clears its edits' text).
            e.HasIndex(x => x.Target).HasDatabaseName("IX_Events_Target").HasFilter("\"Target\" IS NOT NULL");
        });
        model.Entity<Sender>(e =>
        {
            e.ToTable("Senders");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever(); // SQLite numbers a new sender (its rowid); only the writer's SQL adds them
            e.HasIndex(x => x.Name).IsUnique().HasDatabaseName("IX_Senders_Name");
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
            e.HasIndex(x => x.NameKey).HasDatabaseName("IX_Sessions_NameKey"); // a released name takes its sessions with it
        });
        model.Entity<OnlineUser>(e =>
        {
            e.ToTable("OnlineUsers");
            e.HasKey(x => x.NameKey);
        });
    }
}
