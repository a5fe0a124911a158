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
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    // SQLite keeps no time zone: every time stored is UTC, and is read back as UTC.
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions) =>
        conventions.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    // An event's times as Unix milliseconds (6 bytes, not 27 characters of text): the wire's precision (PROTOCOL.md).
    private sealed class UnixMillisecondsConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, long>(
        v => (v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v).Ticks / TimeSpan.TicksPerMillisecond - UnixEpochMilliseconds,
        v => new DateTime((v + UnixEpochMilliseconds) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc));

    private const long UnixEpochMilliseconds = 62_135_596_800_000; // DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMillisecond

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<StoredEvent>(e =>
        {
            e.ToTable("Events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever(); // the room numbers events; the row keeps its number
            e.Property(x => x.Ts).HasConversion<UnixMillisecondsConverter>();
            e.Property(x => x.Edited).HasConversion<UnixMillisecondsConverter>();
            e.Property(x => x.Kind).HasConversion<int>(); // its number (ChatEventKind), one byte or none
            // Private history is read by recipient.
            e.HasIndex(x => x.To).HasDatabaseName("IX_Events_To").HasFilter("\"To\" IS NOT NULL");
            // The profile's count of a user's public messages is counted in this index alone, never in the rows (0: Message).
            e.HasIndex(x => x.From).HasDatabaseName("IX_Events_PublicMessages").HasFilter("\"To\" IS NULL AND \"Kind\" = 0");
            // Edits and deletions of a message are found by their target (a deletion clears its edits' text).
            e.HasIndex(x => x.Target).HasDatabaseName("IX_Events_Target").HasFilter("\"Target\" IS NOT NULL");
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
    }
}
