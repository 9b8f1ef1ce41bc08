namespace MlOps.Tracking;

internal static class TrackingTelemetry
{
    public const string SourceName = "MlOps.Tracking";

    /// <summary>The version string <c>GET /version</c> reports: the MLflow REST surface we follow.</summary>
    public const string Version = "2.19.0";
}
