namespace MlOps.Dashboard.Telemetry;

/// <summary>Outcome of a span (OTLP status code).</summary>
public enum TelemetrySpanStatus
{
    /// <summary>Not set.</summary>
    Unset,

    /// <summary>Marked successful.</summary>
    Ok,

    /// <summary>Failed.</summary>
    Error,
}

/// <summary>One span, as stored; ids are lowercase hex.</summary>
public sealed record TelemetrySpan
{
    internal UInt128 TraceKey { get; init; }

    internal ulong SpanKey { get; init; }

    internal ulong ParentKey { get; init; }

    /// <summary>32 hex digits.</summary>
    public string TraceId => TelemetryIds.Format(TraceKey);

    /// <summary>16 hex digits.</summary>
    public string SpanId => TelemetryIds.Format(SpanKey);

    /// <summary>The parent's span id, null for a root span.</summary>
    public string? ParentSpanId => ParentKey == 0 ? null : TelemetryIds.Format(ParentKey);

    /// <summary>The operation's name.</summary>
    public required string Name { get; init; }

    /// <summary>Internal, Server, Client, Producer, Consumer or Unspecified.</summary>
    public required string Kind { get; init; }

    /// <summary>Start (UTC).</summary>
    public required DateTime StartTime { get; init; }

    /// <summary>End (UTC).</summary>
    public required DateTime EndTime { get; init; }

    /// <summary>End minus start, in milliseconds.</summary>
    public double DurationMs => (EndTime - StartTime).TotalMilliseconds;

    /// <summary>The status code.</summary>
    public required TelemetrySpanStatus Status { get; init; }

    /// <summary>The status description (errors).</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The span's attributes, values as text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }

    /// <summary>Time-stamped events (exceptions among them).</summary>
    public required IReadOnlyList<TelemetrySpanEvent> Events { get; init; }

    /// <summary>Links to other spans.</summary>
    public required IReadOnlyList<TelemetrySpanLink> Links { get; init; }

    /// <summary>The sender's resource id (see <see cref="TelemetryResourceKey.Id"/>).</summary>
    public required string Resource { get; init; }

    /// <summary>The sender's <c>service.name</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The instrumentation scope (for .NET: the ActivitySource name).</summary>
    public string? Scope { get; init; }

    /// <summary>For a database client span: the resource it called (matched by endpoint port), filled in by the API
    /// and the UI.</summary>
    public string? PeerService { get; init; }
}

/// <summary>An event of a span.</summary>
/// <param name="Name">The event's name.</param>
/// <param name="Time">When (UTC).</param>
/// <param name="Attributes">Its attributes, values as text.</param>
public sealed record TelemetrySpanEvent(string Name, DateTime Time, IReadOnlyList<KeyValuePair<string, string>> Attributes);

/// <summary>A link from a span to another span.</summary>
/// <param name="TraceId">The linked trace (hex).</param>
/// <param name="SpanId">The linked span (hex).</param>
/// <param name="Attributes">The link's attributes, values as text.</param>
public sealed record TelemetrySpanLink(string TraceId, string SpanId, IReadOnlyList<KeyValuePair<string, string>> Attributes);
