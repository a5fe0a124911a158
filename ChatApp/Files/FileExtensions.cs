namespace ChatApp.Files;

public static class FileExtensions
{
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddSingleton<FileStore>();
        return services;
    }
}
