using System.Globalization;
using MlOps.Trainer.Data;

namespace MlOps.Trainer.Reporting;

/// <summary>
/// One feature's training values for <see cref="ReferenceStatistics.Compute(IReadOnlyList{ReferenceFeatureInput})"/>: exactly one of
/// <see cref="Numeric"/> (missing = NaN) or <see cref="Categorical"/> (missing = null) is set.
/// </summary>
public sealed record ReferenceFeatureInput(string Name, double[]? Numeric, string?[]? Categorical)
{
    public bool IsCategorical => Categorical is not null;

    public static ReferenceFeatureInput FromNumeric(string name, double[] values) => new(name, values, null);

    public static ReferenceFeatureInput FromCategorical(string name, string?[] values) => new(name, null, values);

    /// <summary>
    /// From a loaded column: a numeric column is numeric unless <paramref name="isCategorical"/>, in which case its values
    /// become invariant-culture strings (NaN → missing); a string column must be categorical.
    /// </summary>
    /// <exception cref="ArgumentException">A string column not marked categorical, or a timestamp column.</exception>
    public static ReferenceFeatureInput FromColumn(DataColumn column, bool isCategorical)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column switch
        {
            NumericColumn numeric when !isCategorical => FromNumeric(numeric.Name, numeric.Values),
            NumericColumn numeric => FromCategorical(
                numeric.Name,
                Array.ConvertAll(numeric.Values, v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture))),
            StringColumn text when isCategorical => FromCategorical(text.Name, text.Values),
            StringColumn text => throw new ArgumentException($"Column '{text.Name}' holds text; it can only be a categorical feature.", nameof(column)),
            _ => throw new ArgumentException($"Column '{column.Name}' of kind {column.Kind} cannot be a feature.", nameof(column)),
        };
    }
}

/// <summary>Histogram of a numeric feature: <c>Counts[i]</c> values fall in [<c>Edges[i]</c>, <c>Edges[i + 1]</c>) (the last bin is closed).</summary>
public sealed record NumericHistogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts)
{
    /// <summary>
    /// The bin a value falls in; values below the first edge go to the first bin and values at or above the last edge
    /// to the last bin, so data outside the reference range is still counted.
    /// </summary>
    public int BinOf(double value)
    {
        var bins = Counts.Count;
        var lo = 0;
        var hi = Edges.Count - 1;

        // Largest i with Edges[i] <= value (or −1).
        var found = -1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Edges[mid] <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return Math.Clamp(found, 0, bins - 1);
    }
}

/// <summary>
/// Summary of a numeric feature. <c>Count</c> includes missing rows; <c>Missing</c> counts NaN and infinite values.
/// Every other statistic is null when all values are missing. <c>Std</c> is the sample standard deviation
/// (n − 1 in the denominator; 0 for a single value). Percentiles use linear interpolation between order
/// statistics (NumPy's default). The histogram has up to 20 bins with edges at the 0, 5, …, 100th percentiles.
/// </summary>
public sealed record NumericStatistics(
    long Count,
    long Missing,
    double? Mean,
    double? Std,
    double? Min,
    double? Max,
    double? P01,
    double? P05,
    double? P25,
    double? P50,
    double? P75,
    double? P95,
    double? P99,
    NumericHistogram? Histogram);

/// <summary>One category and how many rows hold it.</summary>
public sealed record CategoryCount(string Value, long Count);

/// <summary>
/// Summary of a categorical feature: the top <see cref="ReferenceStatistics.TopCategories"/> categories by count
/// (ties by ordinal name), then always a final <c>__other__</c> entry counting every other non-missing row.
/// </summary>
/// <param name="Count">Rows, including missing ones.</param>
/// <param name="Missing">Null values.</param>
/// <param name="Distinct">Distinct non-missing values.</param>
/// <param name="Categories">Top categories, then <c>__other__</c>.</param>
public sealed record CategoricalStatistics(long Count, long Missing, long Distinct, IReadOnlyList<CategoryCount> Categories);

/// <summary>One feature's entry: <see cref="Numeric"/> or <see cref="Categorical"/> is set, matching <see cref="Kind"/>.</summary>
/// <param name="Name">The feature's column name.</param>
/// <param name="Kind">"numeric" or "categorical".</param>
/// <param name="Numeric">Set for numeric features.</param>
/// <param name="Categorical">Set for categorical features.</param>
public sealed record FeatureStatistics(string Name, string Kind, NumericStatistics? Numeric, CategoricalStatistics? Categorical);

/// <summary>
/// The content of <c>reference-stats.json</c>: per-feature statistics of the training data, and the distribution of
/// the model's predicted probability on held-out rows (<see cref="Score"/>), for serving's drift checks.
/// </summary>
/// <param name="FormatVersion">The format's version.</param>
/// <param name="Features">One entry per model input, in the model's order.</param>
/// <param name="Score">The predicted probability on the test split (held out, so like what production sees); absent in
/// files written before it was recorded.</param>
public sealed record ReferenceStatistics(int FormatVersion, IReadOnlyList<FeatureStatistics> Features, NumericStatistics? Score = null)
{
    public const int CurrentFormatVersion = 1;

    public const int HistogramBins = 20;

    public const int TopCategories = 50;

    public const string OtherCategory = "__other__";

    public const string NumericKind = "numeric";

    public const string CategoricalKind = "categorical";

    /// <summary>The same statistics with the distribution of the predicted probability on held-out rows.</summary>
    public ReferenceStatistics WithScores(IReadOnlyList<double> heldOutScores)
    {
        ArgumentNullException.ThrowIfNull(heldOutScores);
        return this with { Score = ComputeNumeric([.. heldOutScores]) };
    }

    /// <summary>Summarises every feature, in the order given.</summary>
    /// <exception cref="ArgumentException">A feature has neither or both of numeric and categorical values.</exception>
    public static ReferenceStatistics Compute(IReadOnlyList<ReferenceFeatureInput> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var result = new List<FeatureStatistics>(features.Count);
        foreach (var feature in features)
        {
            if ((feature.Numeric is null) == (feature.Categorical is null))
            {
                throw new ArgumentException($"Feature '{feature.Name}' must have exactly one of numeric or categorical values.", nameof(features));
            }

            result.Add(feature.Numeric is { } numeric
                ? new FeatureStatistics(feature.Name, NumericKind, ComputeNumeric(numeric), null)
                : new FeatureStatistics(feature.Name, CategoricalKind, null, ComputeCategorical(feature.Categorical!)));
        }

        return new ReferenceStatistics(CurrentFormatVersion, result);
    }

    /// <summary>Like <see cref="Compute(IReadOnlyList{ReferenceFeatureInput})"/>, from (name, is-categorical, values) tuples.</summary>
    public static ReferenceStatistics Compute(IReadOnlyList<(string Name, bool IsCategorical, double[]? Numeric, string?[]? Categorical)> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Compute(features
            .Select(f => f.IsCategorical
                ? ReferenceFeatureInput.FromCategorical(f.Name, f.Categorical ?? throw new ArgumentException($"Feature '{f.Name}' is categorical but has no categorical values.", nameof(features)))
                : ReferenceFeatureInput.FromNumeric(f.Name, f.Numeric ?? throw new ArgumentException($"Feature '{f.Name}' is numeric but has no numeric values.", nameof(features))))
            .ToList());
    }

    internal static NumericStatistics ComputeNumeric(double[] values)
    {
        var present = values.Where(double.IsFinite).ToArray();
        long count = values.Length;
        long missing = count - present.Length;
        if (present.Length == 0)
        {
            return new NumericStatistics(count, missing, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        Array.Sort(present);
        var mean = present.Average();
        double squares = 0;
        foreach (var v in present)
        {
            squares += (v - mean) * (v - mean);
        }

        var std = present.Length > 1 ? Math.Sqrt(squares / (present.Length - 1)) : 0.0;

        return new NumericStatistics(
            count,
            missing,
            mean,
            std,
            present[0],
            present[^1],
            Quantile(present, 0.01),
            Quantile(present, 0.05),
            Quantile(present, 0.25),
            Quantile(present, 0.50),
            Quantile(present, 0.75),
            Quantile(present, 0.95),
            Quantile(present, 0.99),
            Histogram(present));
    }

    /// <summary>Quantile of sorted values with linear interpolation: position q·(n − 1).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        if (lower >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        var fraction = position - lower;
        return sorted[lower] + (fraction * (sorted[lower + 1] - sorted[lower]));
    }

    /// <summary>
    /// Edges at the 0, 5, …, 100th percentiles with repeated edges removed (discrete data gives fewer bins);
    /// data with a single distinct value gets one bin [v, v].
    /// </summary>
    internal static NumericHistogram Histogram(double[] sorted)
    {
        var edges = new List<double>(HistogramBins + 1);
        for (var i = 0; i <= HistogramBins; i++)
        {
            var edge = Quantile(sorted, i / (double)HistogramBins);
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        if (edges.Count == 1)
        {
            edges.Add(edges[0]);
        }

        var counts = new long[edges.Count - 1];
        var histogram = new NumericHistogram(edges, counts);
        foreach (var v in sorted)
        {
            counts[histogram.BinOf(v)]++;
        }

        return histogram;
    }

    internal static CategoricalStatistics ComputeCategorical(string?[] values)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long missing = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                missing++;
            }
            else
            {
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
        }

        var ordered = counts
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .ToList();
        var top = ordered.Take(TopCategories).Select(kv => new CategoryCount(kv.Key, kv.Value)).ToList();
        top.Add(new CategoryCount(OtherCategory, ordered.Skip(TopCategories).Sum(kv => kv.Value)));

        return new CategoricalStatistics(values.Length, missing, counts.Count, top);
    }
}
