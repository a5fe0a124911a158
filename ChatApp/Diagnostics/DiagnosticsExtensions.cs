using OpenTelemetry.Metrics;

namespace ChatApp.Diagnostics;

public static class DiagnosticsExtensions
{
    /// <summary>Distinct tag sets one metric keeps; more are folded into one overflow point, as OpenTelemetry does.</summary>
    public const int MetricPointsPerStream = 100;

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
            // Every stream keeps an array of its cardinality limit's points from the start (2,000 by default: 4.5 MiB
            // over these meters). Our tags take a handful of values each (a generation, a CPU mode, an exception type).
            .AddView(_ => new MetricStreamConfiguration { CardinalityLimit = MetricPointsPerStream })
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
