using System.Globalization;
using MlOps.Trainer.Data;

namespace MlOps.Trainer.Training;

/// <summary>One model input: its column, whether it is categorical, and (if so) its categories in code order.</summary>
public sealed record EncodedFeature(string Name, bool IsCategorical, IReadOnlyList<string> Categories);

/// <summary>
/// Turns table columns into LightGBM's input: numbers as they are (NaN = missing), categories as codes 0..k-1 in
/// ordinal order of the values seen in training, and missing or unseen values as NaN, which LightGBM sends down the
/// "not in set" branch (a negative code would go the same way, but with a warning on the console for every
/// dataset). The ONNX graph's LabelEncoder maps them to -1, which its trees send down the same branch.
/// </summary>
public sealed class FeatureEncoder
{
    private readonly Dictionary<string, int>?[] _codes;

    private FeatureEncoder(IReadOnlyList<EncodedFeature> features)
    {
        Features = features;
        _codes = [.. features.Select(f => f.IsCategorical
            ? f.Categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal)
            : null)];
        CategoricalIndices = [.. features.Select((f, i) => (f, i)).Where(x => x.f.IsCategorical).Select(x => x.i)];
    }

    public IReadOnlyList<EncodedFeature> Features { get; }

    public IReadOnlyList<int> CategoricalIndices { get; }

    /// <summary>Learns the categories from the training rows only, so validation and test see unseen values as unseen.</summary>
    public static FeatureEncoder Fit(DataTable table, IReadOnlyList<FeatureSpec> specs, int[] trainRows)
    {
        var features = new List<EncodedFeature>(specs.Count);
        foreach (var spec in specs)
        {
            if (spec.Kind != FeatureKind.Categorical)
            {
                features.Add(new EncodedFeature(spec.Name, false, []));
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var column = table[spec.Name];
            foreach (var row in trainRows)
            {
                if (TextOf(column, row) is { Length: > 0 } value)
                {
                    seen.Add(value);
                }
            }

            var categories = seen.ToArray();
            Array.Sort(categories, StringComparer.Ordinal);
            features.Add(new EncodedFeature(spec.Name, true, categories));
        }

        return new FeatureEncoder(features);
    }

    /// <summary>The rows as a column-major matrix (feature after feature), LightGBM's layout with is_row_major = 0.</summary>
    public double[] Encode(DataTable table, int[] rows)
    {
        var matrix = GC.AllocateUninitializedArray<double>(rows.Length * Features.Count);
        for (var f = 0; f < Features.Count; f++)
        {
            var target = matrix.AsSpan(f * rows.Length, rows.Length);
            var column = table[Features[f].Name];
            if (_codes[f] is { } codes)
            {
                for (var r = 0; r < rows.Length; r++)
                {
                    target[r] = TextOf(column, rows[r]) is { } value && codes.TryGetValue(value, out var code) ? code : double.NaN;
                }
            }
            else
            {
                var values = ((NumericColumn)column).Values;
                for (var r = 0; r < rows.Length; r++)
                {
                    target[r] = values[rows[r]];
                }
            }
        }

        return matrix;
    }

    /// <summary>The rows as the ONNX model's inputs: one array per feature, doubles or strings ("" for missing).</summary>
    public (Dictionary<string, double[]> Numeric, Dictionary<string, string[]> Categorical) RawInputs(DataTable table, int[] rows)
    {
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var feature in Features)
        {
            var column = table[feature.Name];
            if (feature.IsCategorical)
            {
                categorical[feature.Name] = [.. rows.Select(r => TextOf(column, r) ?? string.Empty)];
            }
            else
            {
                var values = ((NumericColumn)column).Values;
                numeric[feature.Name] = [.. rows.Select(r => values[r])];
            }
        }

        return (numeric, categorical);
    }

    /// <summary>A cell as category text: strings as they are, numbers (a numeric column declared categorical) invariant.</summary>
    internal static string? TextOf(DataColumn column, int row) => column switch
    {
        StringColumn s => s.Values[row],
        NumericColumn n => double.IsNaN(n.Values[row]) ? null : n.Values[row].ToString("R", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Column '{column.Name}' cannot be a feature."),
    };
}
