namespace MlOps.Dashboard.Telemetry;

/// <summary>A filter over structured logs; every part is optional.</summary>
public sealed record TelemetryLogQuery
{
    /// <summary>A resource id, or a service name (all its instances).</summary>
    public string? Resource { get; init; }

    /// <summary>The lowest severity returned.</summary>
    public TelemetrySeverity? MinSeverity { get; init; }

    /// <summary>Text contained (case-insensitive) in the message or an attribute value.</summary>
    public string? Text { get; init; }

    /// <summary>Only records of this trace (hex).</summary>
    public string? TraceId { get; init; }

    /// <summary>At most this many records, newest first.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>A filter over traces; every part is optional.</summary>
public sealed record TelemetryTraceQuery
{
    /// <summary>Traces touching this resource id or service name.</summary>
    public string? Resource { get; init; }

    /// <summary>Traces lasting at least this long.</summary>
    public double? MinDurationMs { get; init; }

    /// <summary>At most this many traces, newest first.</summary>
    public int Limit { get; init; } = 100;
}
