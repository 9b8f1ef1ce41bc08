namespace MlOps.Dashboard.Telemetry;

/// <summary>The OTLP data kind of an instrument.</summary>
public enum TelemetryMetricKind
{
    /// <summary>Last value (gauges, up-down counters exported as gauges).</summary>
    Gauge,

    /// <summary>A sum (counters, up-down counters).</summary>
    Sum,

    /// <summary>A histogram with explicit bucket bounds.</summary>
    Histogram,

    /// <summary>An exponential histogram (kept as explicit buckets).</summary>
    ExponentialHistogram,

    /// <summary>A summary with quantiles.</summary>
    Summary,
}

/// <summary>An instrument of a resource: its metadata and how many points are stored.</summary>
public sealed record TelemetryInstrument
{
    /// <summary>The sender's resource id.</summary>
    public required string Resource { get; init; }

    /// <summary>The sender's <c>service.name</c>.</summary>
    public required string Service { get; init; }

    /// <summary>The instrument name, e.g. <c>http.server.request.duration</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Its description.</summary>
    public string? Description { get; init; }

    /// <summary>Its unit (UCUM), e.g. <c>s</c> or <c>{request}</c>.</summary>
    public string? Unit { get; init; }

    /// <summary>The data kind.</summary>
    public required TelemetryMetricKind Kind { get; init; }

    /// <summary>For sums: monotonic (a counter).</summary>
    public bool IsMonotonic { get; init; }

    /// <summary>Delta or Cumulative (sums and histograms).</summary>
    public string? Temporality { get; init; }

    /// <summary>The meter (instrumentation scope).</summary>
    public string? Scope { get; init; }

    /// <summary>Points stored now.</summary>
    public int PointCount { get; init; }

    /// <summary>Time of the newest point (UTC).</summary>
    public DateTime? LastTime { get; init; }
}

/// <summary>One data point. Sums and gauges have <see cref="Value"/>; histograms have counts, buckets and percentiles
/// (estimated from the buckets, see <see cref="HistogramPercentiles"/>); summaries have their quantiles as percentiles.</summary>
public sealed record TelemetryMetricPoint
{
    /// <summary>When the value was captured (UTC).</summary>
    public required DateTime Time { get; init; }

    /// <summary>Start of the aggregation interval (UTC), if given.</summary>
    public DateTime? StartTime { get; init; }

    /// <summary>The point's attributes (its time series), values as text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; }

    /// <summary>Sum or gauge value.</summary>
    public double? Value { get; init; }

    /// <summary>Histogram/summary: number of measurements.</summary>
    public ulong? Count { get; init; }

    /// <summary>Histogram/summary: sum of measurements.</summary>
    public double? Sum { get; init; }

    /// <summary>Histogram: smallest measurement, if sent.</summary>
    public double? Min { get; init; }

    /// <summary>Histogram: largest measurement, if sent.</summary>
    public double? Max { get; init; }

    /// <summary>Histogram: upper bounds of the buckets but the last.</summary>
    public IReadOnlyList<double>? ExplicitBounds { get; init; }

    /// <summary>Histogram: counts per bucket (one more than the bounds).</summary>
    public IReadOnlyList<ulong>? BucketCounts { get; init; }

    /// <summary>Histogram: median estimate; summary: the 0.5 quantile.</summary>
    public double? P50 { get; init; }

    /// <summary>Histogram: 90th percentile estimate; summary: the 0.9 quantile.</summary>
    public double? P90 { get; init; }

    /// <summary>Histogram: 99th percentile estimate; summary: the 0.99 quantile.</summary>
    public double? P99 { get; init; }
}

/// <summary>An instrument and its stored points, oldest first.</summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Points">Its points.</param>
public sealed record TelemetryMetricSeries(TelemetryInstrument Instrument, IReadOnlyList<TelemetryMetricPoint> Points);
