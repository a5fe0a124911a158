using System.Net;
using ChatApp.Tests.Infrastructure;

namespace ChatApp.Tests.Diagnostics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task MetricsServesTheRoomsCountersInPrometheusTextAfterSomeTraffic()
    {
        await using var server = await ChatServer.StartAsync();
        await using var ann = await server.JoinAsync("ann");
        await ann.SendJsonAsync(new { type = "message", text = "counted" });
        await ann.ExpectMessageAsync("counted");
        using var anonymous = server.Client();

        var response = await anonymous.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        foreach (var name in new[] { "chatapp_connections", "chatapp_users", "chatapp_events_total", "chatapp_deliveries_total",
                     "chatapp_writer_queue", "chatapp_writer_events_total", "chatapp_writer_commit_duration_seconds_bucket" })
            Assert.Contains(name, body);
    }
}
