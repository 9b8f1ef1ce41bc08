namespace MlOps.Dashboard.Telemetry;

/// <summary>Percentiles estimated from an explicit-bucket histogram, as Prometheus' <c>histogram_quantile</c> does:
/// find the bucket holding the rank, interpolate linearly inside it. The first bucket starts at the histogram's min
/// (or 0 when its upper bound is positive); the open last bucket ends at the max (or its lower bound).</summary>
public static class HistogramPercentiles
{
    /// <summary>The <paramref name="quantile"/> (0..1) of the histogram, or null when it has no measurements or the
    /// bucket counts do not match the bounds (one more count than bounds).</summary>
    public static double? Compute(IReadOnlyList<double> explicitBounds, IReadOnlyList<ulong> bucketCounts, double quantile,
        double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(explicitBounds);
        ArgumentNullException.ThrowIfNull(bucketCounts);
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        if (bucketCounts.Count != explicitBounds.Count + 1)
        {
            return null;
        }

        ulong total = 0;
        foreach (var count in bucketCounts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        ulong seen = 0;
        for (var i = 0; i < bucketCounts.Count; i++)
        {
            var count = bucketCounts[i];
            if (count == 0 || seen + count < rank)
            {
                seen += count;
                continue;
            }

            var lower = i == 0 ? LowerOfFirst(explicitBounds, min) : explicitBounds[i - 1];
            var upper = i == explicitBounds.Count ? max ?? lower : explicitBounds[i];
            var value = lower + ((upper - lower) * ((rank - seen) / count));
            return Clamp(value, min, max);
        }

        return max;
    }

    private static double LowerOfFirst(IReadOnlyList<double> bounds, double? min) =>
        min ?? (bounds.Count > 0 && bounds[0] > 0 ? 0 : bounds.Count > 0 ? bounds[0] : 0);

    private static double Clamp(double value, double? min, double? max)
    {
        if (min is { } lo && value < lo)
        {
            value = lo;
        }

        if (max is { } hi && value > hi)
        {
            value = hi;
        }

        return value;
    }
}
