namespace MlOps.Trainer.Reporting;

/// <summary>
/// Population stability index of a numeric feature against its reference histogram:
/// PSI = Σ (c_i − r_i) · ln(c_i / r_i) over the reference bins, where r_i and c_i are the reference and current
/// proportions, each raised to at least <c>epsilon</c> so empty bins do not give infinities.
/// Current values are binned with <see cref="NumericHistogram.BinOf"/> (out-of-range values go to the end bins);
/// NaN and infinite values are skipped. Rule of thumb: &lt; 0.1 stable, 0.1–0.25 moderate shift, &gt; 0.25 large shift.
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

        var referenceTotal = reference.Counts.Sum();
        if (referenceTotal == 0 || currentTotal == 0)
        {
            return double.NaN;
        }

        double psi = 0;
        for (var i = 0; i < bins; i++)
        {
            var r = Math.Max((double)reference.Counts[i] / referenceTotal, epsilon);
            var c = Math.Max((double)current[i] / currentTotal, epsilon);
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }
}
