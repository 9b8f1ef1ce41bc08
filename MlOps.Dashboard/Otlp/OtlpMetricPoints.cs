using MlOps.Dashboard.Telemetry;
using OpenTelemetry.Proto.Metrics.V1;
using static MlOps.Dashboard.Otlp.OtlpConversions;

namespace MlOps.Dashboard.Otlp;

/// <summary>OTLP data points to stored points: a point, or the reason it is malformed, or neither (a point flagged
/// "no recorded value" is skipped without counting as an error).</summary>
internal static class OtlpMetricPoints
{
    private const uint NoRecordedValue = (uint)DataPointFlags.NoRecordedValueMask;

    public static IEnumerable<(TelemetryMetricPoint? Point, string? Error)> Convert(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(Number),
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(Number),
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(Histogram),
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Select(Exponential),
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Select(Summary),
        _ => [],
    };

    private static (TelemetryMetricPoint?, string?) Number(NumberDataPoint point)
    {
        if ((point.Flags & NoRecordedValue) != 0)
        {
            return (null, null);
        }

        if (point.TimeUnixNano == 0 || point.ValueCase == NumberDataPoint.ValueOneofCase.None)
        {
            return (null, point.TimeUnixNano == 0 ? "data point without time_unix_nano" : "data point without a value");
        }

        return (new TelemetryMetricPoint
        {
            Time = ToDateTime(point.TimeUnixNano),
            StartTime = ToOptionalDateTime(point.StartTimeUnixNano),
            Attributes = ToAttributes(point.Attributes),
            Value = point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble,
        }, null);
    }

    private static (TelemetryMetricPoint?, string?) Histogram(HistogramDataPoint point)
    {
        if ((point.Flags & NoRecordedValue) != 0)
        {
            return (null, null);
        }

        if (point.TimeUnixNano == 0)
        {
            return (null, "data point without time_unix_nano");
        }

        if (point.BucketCounts.Count != 0 && point.BucketCounts.Count != point.ExplicitBounds.Count + 1)
        {
            return (null, $"histogram with {point.BucketCounts.Count} bucket counts for {point.ExplicitBounds.Count} bounds");
        }

        var bounds = point.ExplicitBounds.ToArray();
        var counts = point.BucketCounts.ToArray();
        double? min = point.HasMin ? point.Min : null;
        double? max = point.HasMax ? point.Max : null;
        return (WithPercentiles(new TelemetryMetricPoint
        {
            Time = ToDateTime(point.TimeUnixNano),
            StartTime = ToOptionalDateTime(point.StartTimeUnixNano),
            Attributes = ToAttributes(point.Attributes),
            Count = point.Count,
            Sum = point.HasSum ? point.Sum : null,
            Min = min,
            Max = max,
            ExplicitBounds = bounds,
            BucketCounts = counts,
        }), null);
    }

    // Kept as explicit buckets: positive bucket i covers (base^i, base^(i+1)] with base = 2^(2^-scale); zero and
    // negative measurements go to the first bucket.
    private static (TelemetryMetricPoint?, string?) Exponential(ExponentialHistogramDataPoint point)
    {
        if ((point.Flags & NoRecordedValue) != 0)
        {
            return (null, null);
        }

        if (point.TimeUnixNano == 0)
        {
            return (null, "data point without time_unix_nano");
        }

        var positive = point.Positive?.BucketCounts ?? [];
        var offset = point.Positive?.Offset ?? 0;
        var @base = Math.Pow(2, Math.Pow(2, -point.Scale));
        var bounds = new double[positive.Count + (positive.Count == 0 ? 0 : 1)];
        for (var i = 0; i < bounds.Length; i++)
        {
            bounds[i] = Math.Pow(@base, offset + i);
        }

        var counts = new ulong[bounds.Length + 1];
        counts[0] = point.ZeroCount + (point.Negative?.BucketCounts.Aggregate(0UL, (a, c) => a + c) ?? 0);
        for (var i = 0; i < positive.Count; i++)
        {
            counts[i + 1] = positive[i];
        }

        return (WithPercentiles(new TelemetryMetricPoint
        {
            Time = ToDateTime(point.TimeUnixNano),
            StartTime = ToOptionalDateTime(point.StartTimeUnixNano),
            Attributes = ToAttributes(point.Attributes),
            Count = point.Count,
            Sum = point.HasSum ? point.Sum : null,
            Min = point.HasMin ? point.Min : null,
            Max = point.HasMax ? point.Max : null,
            ExplicitBounds = bounds,
            BucketCounts = counts,
        }), null);
    }

    private static (TelemetryMetricPoint?, string?) Summary(SummaryDataPoint point)
    {
        if ((point.Flags & NoRecordedValue) != 0)
        {
            return (null, null);
        }

        if (point.TimeUnixNano == 0)
        {
            return (null, "data point without time_unix_nano");
        }

        double? Quantile(double q) => point.QuantileValues.FirstOrDefault(v => Math.Abs(v.Quantile - q) < 1e-9)?.Value;
        return (new TelemetryMetricPoint
        {
            Time = ToDateTime(point.TimeUnixNano),
            StartTime = ToOptionalDateTime(point.StartTimeUnixNano),
            Attributes = ToAttributes(point.Attributes),
            Count = point.Count,
            Sum = point.Sum,
            P50 = Quantile(0.5),
            P90 = Quantile(0.9),
            P99 = Quantile(0.99),
        }, null);
    }

    private static TelemetryMetricPoint WithPercentiles(TelemetryMetricPoint point) => point.BucketCounts is { Count: > 0 } counts
        ? point with
        {
            P50 = HistogramPercentiles.Compute(point.ExplicitBounds!, counts, 0.5, point.Min, point.Max),
            P90 = HistogramPercentiles.Compute(point.ExplicitBounds!, counts, 0.9, point.Min, point.Max),
            P99 = HistogramPercentiles.Compute(point.ExplicitBounds!, counts, 0.99, point.Min, point.Max),
        }
        : point;
}
