namespace MlOps.Dashboard.Telemetry;

/// <summary>Severity of a log record, from the OTLP severity number (or text when the number is missing).</summary>
public enum TelemetrySeverity
{
    /// <summary>Not given.</summary>
    Unspecified,

    /// <summary>OTLP TRACE..TRACE4.</summary>
    Trace,

    /// <summary>OTLP DEBUG..DEBUG4.</summary>
    Debug,

    /// <summary>OTLP INFO..INFO4.</summary>
    Information,

    /// <summary>OTLP WARN..WARN4.</summary>
    Warning,

    /// <summary>OTLP ERROR..ERROR4.</summary>
    Error,

    /// <summary>OTLP FATAL..FATAL4.</summary>
    Critical,
}

/// <summary>One structured log record, as stored.</summary>
public sealed record TelemetryLogEntry
{
    /// <summary>Order of arrival in the store (increasing).</summary>
    public required long Sequence { get; init; }

    /// <summary>When it happened (UTC; the observed time when the sender gave no time).</summary>
    public required DateTime Timestamp { get; init; }

    /// <summary>The normalised severity.</summary>
    public required TelemetrySeverity Severity { get; init; }

    /// <summary>The severity as the sender wrote it.</summary>
    public string? SeverityText { get; init; }

    /// <summary>The body, as text.</summary>
    public required string Message { get; init; }

    /// <summary>The record's attributes, values as text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }

    internal UInt128 TraceKey { get; init; }

    internal ulong SpanKey { get; init; }

    /// <summary>The trace it belongs to (32 hex digits), if any.</summary>
    public string? TraceId => TraceKey == 0 ? null : TelemetryIds.Format(TraceKey);

    /// <summary>The span it belongs to (16 hex digits), if any.</summary>
    public string? SpanId => SpanKey == 0 ? null : TelemetryIds.Format(SpanKey);

    /// <summary>The sender's resource id (see <see cref="TelemetryResourceKey.Id"/>).</summary>
    public required string Resource { get; init; }

    /// <summary>The sender's <c>service.name</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The instrumentation scope (for .NET: the logger category).</summary>
    public string? Scope { get; init; }

    /// <summary>The OTLP event name, if any.</summary>
    public string? EventName { get; init; }
}
