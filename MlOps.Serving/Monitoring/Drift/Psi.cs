namespace MlOps.Serving.Monitoring.Drift;

/// <summary>
/// The population stability index between an expected (reference) and an actual (live) distribution over the same
/// bins: Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over the bins' proportions. An empty bin counts as <see cref="EmptyBinProportion"/>
/// so the logarithm stays finite (the usual convention, e.g. Evidently's), which makes a bin that is new in live
/// data (an unseen category) weigh heavily, as it should.
/// </summary>
public static class Psi
{
    public const double EmptyBinProportion = 1e-4;

    /// <summary>PSI of two histograms with the same bins; NaN when either is empty.</summary>
    public static double Compute(ReadOnlySpan<long> expected, ReadOnlySpan<long> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"The histograms differ in bins ({expected.Length} and {actual.Length}).", nameof(actual));
        }

        double expectedTotal = Sum(expected), actualTotal = Sum(actual);
        if (expectedTotal <= 0 || actualTotal <= 0)
        {
            return double.NaN;
        }

        var psi = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var e = Math.Max(expected[i] / expectedTotal, EmptyBinProportion);
            var a = Math.Max(actual[i] / actualTotal, EmptyBinProportion);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    private static long Sum(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        return total;
    }
}
