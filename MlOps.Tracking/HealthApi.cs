namespace MlOps.Tracking;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // MLflow answers a plain "OK"; the AppHost and MLflow clients probe this path.
        app.MapGet("/health", () => TypedResults.Text("OK", "text/plain"));
        app.MapGet("/version", () => TypedResults.Text(TrackingTelemetry.Version, "text/plain"));
        return app;
    }
}
