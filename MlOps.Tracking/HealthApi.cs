using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MlOps.Tracking;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // MLflow answers a plain "OK"; the AppHost and MLflow clients probe this path. It is readiness: every health
        // check (the database's among them, from Aspire.Npgsql) must pass, else 503 with what is down.
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        app.MapGet("/version", () => TypedResults.Text(TrackingTelemetry.Version, "text/plain"));
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain";
        if (report.Status == HealthStatus.Healthy)
        {
            return context.Response.WriteAsync("OK");
        }

        // Names only: a check's exception would show the database's address.
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key);
        return context.Response.WriteAsync($"Unavailable: {string.Join(", ", failing)}");
    }
}
