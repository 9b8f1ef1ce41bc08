using MlOps.Dashboard.Telemetry;

namespace MlOps.Dashboard.Components.Charts;

/// <summary>One line of a chart.</summary>
/// <param name="Name">Its legend.</param>
/// <param name="Points">Time (UTC) and value, oldest first.</param>
public sealed record ChartLine(string Name, IReadOnlyList<(DateTime Time, double Value)> Points);

/// <summary>Turns stored metric points into chart lines: counters as a rate per second, gauges (and up-down sums) as
/// values, histograms as p50/p90/p99 of the measurements between two exports. Time series (attribute sets) are
/// summed per export time.</summary>
public static class ChartLines
{
    /// <summary>The lines to draw for <paramref name="series"/>.</summary>
    public static IReadOnlyList<ChartLine> From(TelemetryMetricSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var instrument = series.Instrument;
        var cumulative = !string.Equals(instrument.Temporality, "Delta", StringComparison.OrdinalIgnoreCase);
        return instrument.Kind switch
        {
            TelemetryMetricKind.Sum when instrument.IsMonotonic => [new ChartLine("per second", Rates(series.Points, cumulative))],
            TelemetryMetricKind.Histogram or TelemetryMetricKind.ExponentialHistogram => Percentiles(series.Points, cumulative),
            TelemetryMetricKind.Summary => SummaryPercentiles(series.Points),
            _ => [new ChartLine("value", SumByTime(series.Points.Where(p => p.Value is not null).Select(p => (p.Time, p.Value!.Value))))],
        };
    }

    private static (DateTime, double)[] Rates(IReadOnlyList<TelemetryMetricPoint> points, bool cumulative)
    {
        var rates = new List<(DateTime, double)>();
        foreach (var timeSeries in points.Where(p => p.Value is not null).GroupBy(SeriesKey))
        {
            TelemetryMetricPoint? previous = null;
            foreach (var point in timeSeries.OrderBy(p => p.Time))
            {
                if (!cumulative)
                {
                    var seconds = point.StartTime is { } start ? (point.Time - start).TotalSeconds : 0;
                    if (seconds > 0)
                    {
                        rates.Add((point.Time, point.Value!.Value / seconds));
                    }
                }
                else if (previous is not null && point.Time > previous.Time)
                {
                    var delta = point.Value!.Value - previous.Value!.Value;
                    rates.Add((point.Time, Math.Max(0, delta) / (point.Time - previous.Time).TotalSeconds));
                }

                previous = point;
            }
        }

        return SumByTime(rates);
    }

    private static ChartLine[] Percentiles(IReadOnlyList<TelemetryMetricPoint> points, bool cumulative)
    {
        var p50 = new List<(DateTime, double)>();
        var p90 = new List<(DateTime, double)>();
        var p99 = new List<(DateTime, double)>();
        ulong[]? previous = null;
        foreach (var group in points.Where(p => p.BucketCounts is not null && p.ExplicitBounds is not null).GroupBy(p => p.Time).OrderBy(g => g.Key))
        {
            var bounds = group.First().ExplicitBounds!;
            var totals = new ulong[bounds.Count + 1];
            foreach (var point in group.Where(p => p.ExplicitBounds!.SequenceEqual(bounds) && p.BucketCounts!.Count == totals.Length))
            {
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += point.BucketCounts![i];
                }
            }

            // Cumulative histograms: the measurements since the previous export, so the lines show recent latency.
            var window = cumulative && previous is not null && previous.Length == totals.Length && totals.Zip(previous).All(x => x.First >= x.Second)
                ? totals.Zip(previous, (now, before) => now - before).ToArray()
                : totals;
            previous = totals;
            Add(p50, group.Key, HistogramPercentiles.Compute(bounds, window, 0.5));
            Add(p90, group.Key, HistogramPercentiles.Compute(bounds, window, 0.9));
            Add(p99, group.Key, HistogramPercentiles.Compute(bounds, window, 0.99));
        }

        return [new ChartLine("p50", p50), new ChartLine("p90", p90), new ChartLine("p99", p99)];
    }

    private static ChartLine[] SummaryPercentiles(IReadOnlyList<TelemetryMetricPoint> points) =>
    [
        new ChartLine("p50", points.Where(p => p.P50 is not null).Select(p => (p.Time, p.P50!.Value)).ToArray()),
        new ChartLine("p90", points.Where(p => p.P90 is not null).Select(p => (p.Time, p.P90!.Value)).ToArray()),
        new ChartLine("p99", points.Where(p => p.P99 is not null).Select(p => (p.Time, p.P99!.Value)).ToArray()),
    ];

    private static void Add(List<(DateTime, double)> line, DateTime time, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            line.Add((time, v));
        }
    }

    private static (DateTime, double)[] SumByTime(IEnumerable<(DateTime Time, double Value)> values) =>
        values.GroupBy(v => v.Time).OrderBy(g => g.Key).Select(g => (g.Key, g.Sum(v => v.Value))).ToArray();

    private static string SeriesKey(TelemetryMetricPoint point) =>
        string.Join('\u001f', point.Attributes.Select(a => $"{a.Key}={a.Value}"));
}
