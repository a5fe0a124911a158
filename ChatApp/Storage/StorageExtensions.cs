using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatApp.Storage;

public static class StorageExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddPooledDbContextFactory<ChatDbContext>((sp, db) =>
            db.UseSqlite(ConnectionString(sp.GetRequiredService<IOptions<ChatOptions>>().Value))
              .AddInterceptors(new SqlitePragmas()));
        services.AddSingleton<EventStore>();
        services.AddSingleton<IStorageOutage, SqliteStorageOutage>();
        services.AddSingleton<EventWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<EventWriter>());
        return services;
    }

    public static string ConnectionString(ChatOptions options) =>
        $"Data Source={Path.Combine(options.DataPath, "chat.db")};Cache=Private;Pooling=True";

    /// <summary>Creates the data directory and brings the database to the current schema before anything reads it.</summary>
    public static void UpgradeStorage(this WebApplication app)
    {
        Directory.CreateDirectory(app.Services.GetRequiredService<IOptions<ChatOptions>>().Value.DataPath);
        using var db = app.Services.GetRequiredService<IDbContextFactory<ChatDbContext>>().CreateDbContext();
        SchemaMigrator.Migrate(db);
    }
}
