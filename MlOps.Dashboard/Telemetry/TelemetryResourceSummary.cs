namespace MlOps.Dashboard.Telemetry;

/// <summary>A sender of telemetry with what the store holds of it and what it dropped.</summary>
public sealed record TelemetryResourceSummary
{
    /// <summary>The resource id (see <see cref="TelemetryResourceKey.Id"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Its <c>service.name</c>.</summary>
    public required string ServiceName { get; init; }

    /// <summary>Its <c>service.instance.id</c>, if sent.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Resource attributes of its first export, values as text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }

    /// <summary>First export (UTC).</summary>
    public required DateTime FirstSeen { get; init; }

    /// <summary>Latest export (UTC).</summary>
    public required DateTime LastSeen { get; init; }

    /// <summary>Log records stored.</summary>
    public required int LogCount { get; init; }

    /// <summary>Log records dropped (oldest first) to stay within the limit.</summary>
    public required long DroppedLogCount { get; init; }

    /// <summary>Spans stored (in traces still held).</summary>
    public required long SpanCount { get; init; }

    /// <summary>Spans dropped with their traces (oldest trace first).</summary>
    public required long DroppedSpanCount { get; init; }

    /// <summary>Instruments seen.</summary>
    public required int InstrumentCount { get; init; }

    /// <summary>Metric points stored.</summary>
    public required int MetricPointCount { get; init; }

    /// <summary>Metric points dropped (oldest first).</summary>
    public required long DroppedMetricPointCount { get; init; }

    /// <summary>Malformed records rejected (spans, log records, data points).</summary>
    public required long RejectedCount { get; init; }
}

/// <summary>Everything the store knows of senders, with the store-wide trace counts.</summary>
/// <param name="Resources">The senders, by id.</param>
/// <param name="TraceCount">Traces stored.</param>
/// <param name="DroppedTraceCount">Traces dropped (oldest first).</param>
/// <param name="RejectedWithoutResourceCount">Malformed records that named no resource.</param>
public sealed record TelemetryOverview(
    IReadOnlyList<TelemetryResourceSummary> Resources, int TraceCount, long DroppedTraceCount, long RejectedWithoutResourceCount);
