namespace MlOps.Trainer.Reporting;

/// <summary>
/// Population stability index of a feature against its reference histogram:
/// PSI = Σ (c_i − r_i) · ln(c_i / r_i) over the reference bins, where r_i and c_i are the reference and current
/// proportions, each raised to at least <c>epsilon</c> so empty bins do not give infinities.
/// Current values are binned with <see cref="NumericHistogram.BinOf"/> (out-of-range values go to the end bins);
/// NaN and infinite values are skipped. Categorical features use the reference categories as bins, with
/// values not among them (and rows the reference put in <c>__other__</c>) in the <c>__other__</c> bin; missing values are skipped. Rule of thumb: &lt; 0.1 stable, 0.1–0.25 moderate shift, &gt; 0.25 large shift.
/// </summary>
public static class PopulationStabilityIndex
{
    public const double DefaultEpsilon = 1e-4;

    /// <returns>The PSI, or NaN when either side has no values.</returns>
    public static double Compute(NumericHistogram reference, ReadOnlySpan<double> currentValues, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);

        var bins = reference.Counts.Count;
        var current = new long[bins];
        long currentTotal = 0;
        foreach (var value in currentValues)
        {
            if (double.IsFinite(value))
            {
                current[reference.BinOf(value)]++;
                currentTotal++;
            }
        }

        return FromCounts(reference.Counts, current, currentTotal, epsilon);
    }

    /// <summary>PSI of a categorical feature over the reference's categories (top categories plus <c>__other__</c>).</summary>
    /// <returns>The PSI, or NaN when either side has no non-missing values.</returns>
    public static double Compute(CategoricalStatistics reference, ReadOnlySpan<string?> currentValues, double epsilon = DefaultEpsilon)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var referenceCounts = new List<long>();
        var otherIndex = -1;
        foreach (var category in reference.Categories)
        {
            if (category.Value == ReferenceStatistics.OtherCategory)
            {
                otherIndex = index.Count;
            }

            if (index.TryAdd(category.Value, index.Count))
            {
                referenceCounts.Add(category.Count);
            }
        }

        if (otherIndex < 0)
        {
            otherIndex = index.Count;
            index.Add(ReferenceStatistics.OtherCategory, otherIndex);
            referenceCounts.Add(0);
        }

        var current = new long[referenceCounts.Count];
        long currentTotal = 0;
        foreach (var value in currentValues)
        {
            if (value is not null)
            {
                current[index.TryGetValue(value, out var i) ? i : otherIndex]++;
                currentTotal++;
            }
        }

        return FromCounts(referenceCounts, current, currentTotal, epsilon);
    }

    private static double FromCounts(IReadOnlyList<long> referenceCounts, long[] current, long currentTotal, double epsilon)
    {
        var referenceTotal = referenceCounts.Sum();
        if (referenceTotal == 0 || currentTotal == 0)
        {
            return double.NaN;
        }

        double psi = 0;
        for (var i = 0; i < current.Length; i++)
        {
            var r = Math.Max((double)referenceCounts[i] / referenceTotal, epsilon);
            var c = Math.Max((double)current[i] / currentTotal, epsilon);
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }
}
