using System.Globalization;
using MlOps.Serving.Model;

namespace MlOps.Serving.Monitoring.Drift;

/// <summary>
/// One monitored column (a model input, or the score) binned exactly as the training reference was: a numeric
/// column by the reference histogram's edges (a value below the first edge falls in the first bin, one above the last
/// in the last, as the trainer counted them) plus a bin for missing values; a categorical column by the reference's
/// top categories, then "__other__" (a category the model knows that is not among them), "unseen" (one it never saw)
/// and "missing".
/// </summary>
public sealed class DriftColumn
{
    public const string MissingLabel = "missing";
    public const string OtherLabel = "__other__";
    public const string UnseenLabel = "unseen";

    private readonly double[]? _edges;
    private readonly int _histogramBins;
    private readonly Dictionary<string, int>? _categories;
    private readonly SchemaFeature? _feature;

    private DriftColumn(string name, string kind, long[] reference, string[] labels)
    {
        Name = name;
        Kind = kind;
        Reference = reference;
        Labels = labels;
        MissingBin = reference.Length - 1;
    }

    private DriftColumn(string name, double[] edges, long[] counts, long missing)
        : this(name, "numeric", [.. counts, missing], [.. NumericLabels(edges), MissingLabel])
    {
        _edges = edges;
        _histogramBins = counts.Length;
    }

    private DriftColumn(SchemaFeature feature, IReadOnlyList<(string Value, long Count)> top, long other, long missing)
        : this(feature.Name, "categorical", [.. top.Select(t => t.Count), other, 0, missing],
            [.. top.Select(t => t.Value), OtherLabel, UnseenLabel, MissingLabel])
    {
        _feature = feature;
        _categories = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < top.Count; i++)
        {
            _categories.TryAdd(top[i].Value, i);
        }

        OtherBin = top.Count;
        UnseenBin = top.Count + 1;
    }

    public string Name { get; }

    /// <summary><c>numeric</c> or <c>categorical</c>.</summary>
    public string Kind { get; }

    /// <summary>The reference's count in each bin (missing last).</summary>
    public long[] Reference { get; }

    /// <summary>A readable name for each bin: <c>[lo, hi)</c>, a category, <c>__other__</c>, <c>unseen</c>, <c>missing</c>.</summary>
    public string[] Labels { get; }

    public int Bins => Reference.Length;

    public int MissingBin { get; }

    public int OtherBin { get; } = -1;

    public int UnseenBin { get; } = -1;

    /// <summary>A numeric column from a reference histogram (edges ascending, one more than counts).</summary>
    public static DriftColumn Numeric(string name, double[] edges, long[] counts, long missing)
    {
        if (counts.Length == 0 || edges.Length != counts.Length + 1)
        {
            throw new FormatException($"'{name}': a histogram needs one more edge than counts ({edges.Length} edges, {counts.Length} counts).");
        }

        return new DriftColumn(name, edges, counts, missing);
    }

    /// <summary>A categorical column from the reference's top categories and its count of all the others.</summary>
    public static DriftColumn Categorical(SchemaFeature feature, IReadOnlyList<(string Value, long Count)> top, long other, long missing) =>
        new(feature, top, other, missing);

    public int BinOf(double value)
    {
        if (double.IsNaN(value) || _edges is null)
        {
            return MissingBin;
        }

        // The largest i with edges[i] <= value, kept within the histogram's bins.
        var lo = 0;
        var hi = _edges.Length - 1;
        var found = 0;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_edges[mid] <= value)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return Math.Min(found, _histogramBins - 1);
    }

    public int BinOf(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return MissingBin;
        }

        if (_categories!.TryGetValue(value, out var bin))
        {
            return bin;
        }

        return _feature!.TryGetCategory(value, out _) ? OtherBin : UnseenBin;
    }

    private static IEnumerable<string> NumericLabels(double[] edges)
    {
        for (var i = 0; i + 1 < edges.Length; i++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"[{edges[i]:G6}, {edges[i + 1]:G6}{(i + 2 == edges.Length ? "]" : ")")}");
        }
    }
}
