using OpenTelemetry.Metrics;

namespace ChatApp.Diagnostics;

public static class DiagnosticsExtensions
{
    /// <summary>The room's counters (<see cref="ChatMetrics"/>) and the runtime's (GC, thread pool), exported for Prometheus.</summary>
    public static IServiceCollection AddDiagnostics(this IServiceCollection services)
    {
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton(sp =>
        {
            var memory = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Chat.ChatOptions>>().Value.Memory;
            return new MemoryTrimPolicy(memory.BurstMegabytes * 1024L * 1024, memory.QuietMegabytes * 1024L * 1024);
        });
        services.AddHostedService<MemoryTrimmer>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ChatMetrics.MeterName)
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary><c>GET /metrics</c>: the counters in Prometheus text format.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
