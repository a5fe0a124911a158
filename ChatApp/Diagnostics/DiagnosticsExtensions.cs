using OpenTelemetry.Metrics;

namespace ChatApp.Diagnostics;

public static class DiagnosticsExtensions
{
    /// <summary>The room's counters (<see cref="ChatMetrics"/>) and the runtime's (GC, thread pool), exported for Prometheus.</summary>
    public static IServiceCollection AddDiagnostics(this IServiceCollection services)
    {
        services.AddSingleton<ChatMetrics>();
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
