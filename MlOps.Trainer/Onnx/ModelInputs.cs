using MlOps.Trainer.Data;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Onnx;

/// <summary>Table rows as an ONNX model's raw inputs: a double column per numeric input, strings per categorical one.</summary>
internal static class ModelInputs
{
    /// <summary>
    /// The inputs of <paramref name="features"/> for <paramref name="rows"/>; null with the reason when the table
    /// lacks a column the model needs or holds it in a form the model cannot take.
    /// </summary>
    public static (Dictionary<string, double[]> Numeric, Dictionary<string, string[]> Categorical)? From(
        DataTable table, int[] rows, IReadOnlyList<OnnxFeature> features, out string? problem)
    {
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var feature in features)
        {
            if (!table.TryGetColumn(feature.Name, out var column))
            {
                problem = $"the data has no column '{feature.Name}'";
                return null;
            }

            if (feature.IsCategorical && column is StringColumn or NumericColumn)
            {
                categorical[feature.Name] = [.. rows.Select(r => FeatureEncoder.TextOf(column, r) ?? string.Empty)];
            }
            else if (!feature.IsCategorical && column is NumericColumn n)
            {
                numeric[feature.Name] = [.. rows.Select(r => n.Values[r])];
            }
            else
            {
                problem = $"column '{feature.Name}' is not numeric, as the model expects";
                return null;
            }
        }

        problem = null;
        return (numeric, categorical);
    }
}
