namespace MlOps.Dashboard.Telemetry;

/// <summary>One trace in a list: spans from every service that took part.</summary>
public sealed record TraceSummary
{
    /// <summary>32 hex digits.</summary>
    public required string TraceId { get; init; }

    /// <summary>The root span's name (or the earliest span's, while the root has not arrived).</summary>
    public required string RootName { get; init; }

    /// <summary>The root span's service.</summary>
    public required string RootService { get; init; }

    /// <summary>Services touched, in order of first appearance.</summary>
    public required IReadOnlyList<string> Services { get; init; }

    /// <summary>Resource ids touched, in order of first appearance.</summary>
    public required IReadOnlyList<string> Resources { get; init; }

    /// <summary>Spans received so far.</summary>
    public required int SpanCount { get; init; }

    /// <summary>Earliest span start (UTC).</summary>
    public required DateTime StartTime { get; init; }

    /// <summary>Latest span end minus earliest span start, in milliseconds.</summary>
    public required double DurationMs { get; init; }

    /// <summary>True when any span has the error status.</summary>
    public required bool HasError { get; init; }

    /// <summary>Uninstrumented peers called by database client spans (e.g. <c>postgres</c>), named after the resource
    /// whose endpoint port they called; filled in by the API and the UI.</summary>
    public IReadOnlyList<string> PeerServices { get; init; } = [];

    /// <summary>Ports called by database client spans, in order of first appearance.</summary>
    internal IReadOnlyList<int> PeerPorts { get; init; } = [];
}

/// <summary>One trace with all its spans, ordered by start time.</summary>
/// <param name="Summary">The trace's summary.</param>
/// <param name="Spans">Its spans.</param>
public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<TelemetrySpan> Spans);
