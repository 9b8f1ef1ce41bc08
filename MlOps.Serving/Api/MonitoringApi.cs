using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Monitoring.Log;
using MlOps.Serving.Monitoring.Quality;
using MlOps.Serving.Monitoring.Shadow;

namespace MlOps.Serving.Api;

/// <summary>
/// What monitoring sees, as last computed: <c>GET /monitoring/drift</c> (PSI per input and for the score),
/// <c>/monitoring/quality</c> (live quality from feedback), <c>/monitoring/shadow</c> (the challenger beside
/// production) and <c>/monitoring/log</c> (rows written and dropped). The same figures are OpenTelemetry metrics.
/// </summary>
public static class MonitoringApi
{
    public static IEndpointRouteBuilder MapMonitoringApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring").WithTags("Monitoring");
        group.MapGet("/drift", (DriftMonitor drift) => TypedResults.Ok(drift.Snapshot))
            .WithName("Drift").WithSummary("PSI of each input and of the score over the live window, against the training reference.");
        group.MapGet("/quality", (QualityMonitor quality) => TypedResults.Ok(quality.Snapshot))
            .WithName("Quality").WithSummary("Precision, recall, PR-AUC and label rate from feedback, per model version.");
        group.MapGet("/shadow", (ShadowScorerView shadow) => TypedResults.Ok(shadow.Snapshot))
            .WithName("Shadow").WithSummary("The challenger scored in production's shadow: agreement and score PSI.");
        group.MapGet("/log", (PredictionLog log) => TypedResults.Ok(log.Status))
            .WithName("PredictionLog").WithSummary("The prediction log: written, dropped (by reason) and queued rows.");
        return app;
    }
}

/// <summary>The shadow's published figures, for the API (the scorer itself belongs to the monitor's thread).</summary>
public sealed class ShadowScorerView(Func<ShadowSnapshot> snapshot)
{
    public ShadowSnapshot Snapshot => snapshot();
}
