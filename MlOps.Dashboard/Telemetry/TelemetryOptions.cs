namespace MlOps.Dashboard.Telemetry;

/// <summary>Limits of the in-memory telemetry store (section <c>Dashboard:Telemetry</c>); the defaults are Aspire's.
/// When a limit is reached the oldest item is dropped and counted.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Log records kept per resource.</summary>
    public int MaxLogCount { get; set; } = 10_000;

    /// <summary>Traces kept (a trace spans resources, so this limit is for the whole store).</summary>
    public int MaxTraceCount { get; set; } = 10_000;

    /// <summary>Metric data points kept per resource, over all its instruments.</summary>
    public int MaxMetricPointCount { get; set; } = 50_000;

    internal void Validate()
    {
        if (MaxLogCount < 1 || MaxTraceCount < 1 || MaxMetricPointCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TelemetryOptions), "Dashboard:Telemetry limits must be at least 1.");
        }
    }
}
