using MlOps.Trainer.Onnx;

namespace MlOps.Tests.Trainer.Onnx;

/// <summary>
/// Random rows for parity checks, as columns (what the scorer takes) and as model feature vectors (what the
/// reference evaluator takes: numeric values as they are, categories as their code or -1).
/// </summary>
internal sealed class RandomRows
{
    public RandomRows(IReadOnlyList<OnnxFeature> features, int rows, int seed)
    {
        Rows = rows;
        var random = new Random(seed);
        foreach (var feature in features)
        {
            if (feature.IsCategorical)
            {
                var column = new string[rows];
                for (var i = 0; i < rows; i++)
                {
                    column[i] = random.Next(10) switch
                    {
                        0 => string.Empty,
                        1 => "not-a-known-category",
                        2 => null!,
                        _ => feature.Categories[random.Next(feature.Categories.Count)],
                    };
                }

                Categorical[feature.Name] = column;
            }
            else
            {
                var column = new double[rows];
                for (var i = 0; i < rows; i++)
                {
                    column[i] = random.Next(8) switch
                    {
                        0 => double.NaN,
                        1 => 0.0,
                        // Values that sit exactly on the fixtures' thresholds.
                        2 => new[] { 10.5, -2.25, 3.75, 0.5, 100, 50.25 }[random.Next(6)],
                        _ => Math.Round((random.NextDouble() * 240) - 20, random.Next(4)),
                    };
                }

                Numeric[feature.Name] = column;
            }
        }

        Vectors = new double[rows][];
        for (var i = 0; i < rows; i++)
        {
            Vectors[i] = [.. features.Select(f => f.IsCategorical ? Code(f, Categorical[f.Name][i]) : Numeric[f.Name][i])];
        }
    }

    public int Rows { get; }

    public Dictionary<string, double[]> Numeric { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string[]> Categorical { get; } = new(StringComparer.Ordinal);

    public double[][] Vectors { get; }

    private static double Code(OnnxFeature feature, string? value)
    {
        if (value is null)
        {
            return -1;
        }

        for (var i = 0; i < feature.Categories.Count; i++)
        {
            if (feature.Categories[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
