using System.Globalization;

namespace MlOps.Trainer.Evaluation;

/// <summary>A decision threshold and what it achieves on the data it was chosen on.</summary>
/// <param name="Threshold">Predict positive iff score &gt;= Threshold.</param>
/// <param name="Precision">Precision at the threshold.</param>
/// <param name="Recall">Recall at the threshold.</param>
/// <param name="F1">F1 at the threshold.</param>
/// <param name="Strategy">"max_f1" or "min_precision".</param>
/// <param name="Reason">A human-readable sentence saying why this threshold was chosen (including any fallback).</param>
public sealed record ThresholdChoice(double Threshold, double Precision, double Recall, double F1, string Strategy, string Reason);

/// <summary>
/// Picks a decision threshold among the distinct scores (predict positive iff score &gt;= t).
/// Tie-breaking is deterministic: among candidates with the same F1, the highest threshold
/// (fewest predicted positives) wins.
/// </summary>
public static class ThresholdSelector
{
    public const string MaxF1Strategy = "max_f1";

    public const string MinPrecisionStrategy = "min_precision";

    /// <summary>The threshold with the highest F1; ties go to the highest threshold.</summary>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1 or a score is NaN.</exception>
    public static ThresholdChoice MaxF1(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores)
    {
        var table = ThresholdTable.Build(labels, scores);
        var k = BestF1Index(table);
        return Choice(table, k, MaxF1Strategy, string.Create(
            CultureInfo.InvariantCulture,
            $"Highest F1 ({table.F1(k):F4}) over {table.Thresholds.Length} distinct scores."));
    }

    /// <summary>
    /// The lowest threshold (so the highest recall) whose precision is at least <paramref name="minPrecision"/>.
    /// If no threshold reaches it, falls back to <see cref="MaxF1"/> and says so in <see cref="ThresholdChoice.Reason"/>
    /// (the strategy stays "min_precision").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minPrecision"/> is not in [0, 1].</exception>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1 or a score is NaN.</exception>
    public static ThresholdChoice MinPrecision(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, double minPrecision)
    {
        if (!(minPrecision is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(minPrecision), minPrecision, "Minimum precision must be in [0, 1].");
        }

        var table = ThresholdTable.Build(labels, scores);

        // Thresholds decrease with k, so the last qualifying row is the lowest threshold.
        for (var k = table.Thresholds.Length - 1; k >= 0; k--)
        {
            if (table.Precision(k) >= minPrecision)
            {
                return Choice(table, k, MinPrecisionStrategy, string.Create(
                    CultureInfo.InvariantCulture,
                    $"Lowest threshold with precision >= {minPrecision:F4} (precision {table.Precision(k):F4}, recall {table.Recall(k):F4})."));
            }
        }

        var best = BestF1Index(table);
        return Choice(table, best, MinPrecisionStrategy, string.Create(
            CultureInfo.InvariantCulture,
            $"No threshold reaches precision {minPrecision:F4}; fell back to the highest F1 ({table.F1(best):F4})."));
    }

    private static int BestF1Index(ThresholdTable table)
    {
        var best = 0;
        for (var k = 1; k < table.Thresholds.Length; k++)
        {
            // Strictly greater: an equal F1 at a lower threshold does not replace the earlier (higher) one.
            if (table.F1(k) > table.F1(best))
            {
                best = k;
            }
        }

        return best;
    }

    private static ThresholdChoice Choice(ThresholdTable table, int k, string strategy, string reason) =>
        new(table.Thresholds[k], table.Precision(k), table.Recall(k), table.F1(k), strategy, reason);
}
