namespace MlOps.Trainer.Evaluation;

/// <summary>
/// Labels and scores sorted once by decreasing score, reduced to one row per distinct score:
/// row <c>k</c> holds the cumulative true and false positives when predicting positive iff
/// <c>score &gt;= Thresholds[k]</c>. Everything that needs the ranking (AUC, AP, curves, threshold search) reads it.
/// </summary>
internal sealed class ThresholdTable
{
    private ThresholdTable(double[] thresholds, int[] truePositives, int[] falsePositives, int positives, int negatives)
    {
        Thresholds = thresholds;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>Distinct scores, strictly decreasing.</summary>
    public double[] Thresholds { get; }

    /// <summary>Positives with score &gt;= the threshold in the same row.</summary>
    public int[] TruePositives { get; }

    /// <summary>Negatives with score &gt;= the threshold in the same row.</summary>
    public int[] FalsePositives { get; }

    public int Positives { get; }

    public int Negatives { get; }

    public int Count => Positives + Negatives;

    public static ThresholdTable Build(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores)
    {
        Validate(labels, scores);
        var n = labels.Length;

        // Sorting the negated scores ascending gives decreasing scores; labels travel with them.
        var keys = new double[n];
        var sortedLabels = new byte[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = -scores[i];
            sortedLabels[i] = labels[i] == 1f ? (byte)1 : (byte)0;
        }

        Array.Sort(keys, sortedLabels);

        var thresholds = new List<double>();
        var truePositives = new List<int>();
        var falsePositives = new List<int>();
        int tp = 0, fp = 0;
        for (var i = 0; i < n; i++)
        {
            if (sortedLabels[i] == 1)
            {
                tp++;
            }
            else
            {
                fp++;
            }

            // Close a group at the last element of a run of equal scores.
            if (i == n - 1 || keys[i + 1] != keys[i])
            {
                thresholds.Add(-keys[i] + 0.0); // + 0.0 turns -0 into 0
                truePositives.Add(tp);
                falsePositives.Add(fp);
            }
        }

        return new ThresholdTable([.. thresholds], [.. truePositives], [.. falsePositives], tp, fp);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless labels are 0/1, scores are not NaN, lengths match and there is at least one row.</summary>
    public static void Validate(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores)
    {
        if (labels.Length != scores.Length)
        {
            throw new ArgumentException($"Got {labels.Length} labels but {scores.Length} scores.", nameof(scores));
        }

        if (labels.IsEmpty)
        {
            throw new ArgumentException("Cannot evaluate an empty set of predictions.", nameof(labels));
        }

        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] is not (0f or 1f))
            {
                throw new ArgumentException($"Label at row {i} is {labels[i]}; labels must be 0 or 1.", nameof(labels));
            }

            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score at row {i} is NaN.", nameof(scores));
            }
        }
    }

    public double Precision(int k) => (double)TruePositives[k] / (TruePositives[k] + FalsePositives[k]);

    public double Recall(int k) => Positives == 0 ? 0.0 : (double)TruePositives[k] / Positives;

    /// <summary>F1 = 2TP / (2TP + FP + FN) = 2TP / (TP + FP + P); 0 when there are no positives at all.</summary>
    public double F1(int k)
    {
        var denominator = TruePositives[k] + FalsePositives[k] + Positives;
        return 2.0 * TruePositives[k] / denominator;
    }

    public double FalsePositiveRate(int k) => Negatives == 0 ? 0.0 : (double)FalsePositives[k] / Negatives;
}
