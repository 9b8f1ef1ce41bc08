namespace MlOps.Serving.Monitoring.Quality;

/// <summary>
/// Precision and recall of a model's own labels, and the area under the precision-recall curve of its scores, against
/// ground truth. PR-AUC is average precision as scikit-learn (and the trainer) compute it: Σ over distinct score
/// thresholds, highest first, of (Rₖ − Rₖ₋₁) · Pₖ. A figure that is undefined (no positive, nothing predicted
/// positive) is null rather than 0, so a dashboard shows a gap, not a collapse.
/// </summary>
public static class QualityMetrics
{
    public static double? Precision(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        int tp = 0, fp = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            if (predicted[i] == 1)
            {
                tp += truth[i];
                fp += 1 - truth[i];
            }
        }

        return tp + fp == 0 ? null : (double)tp / (tp + fp);
    }

    public static double? Recall(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        int tp = 0, positives = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            positives += truth[i];
            tp += predicted[i] & truth[i];
        }

        return positives == 0 ? null : (double)tp / positives;
    }

    /// <summary>Average precision of <paramref name="scores"/> against <paramref name="truth"/>; null without both classes.</summary>
    public static double? AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<int> truth)
    {
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        // Highest score first; ties form one threshold.
        Array.Sort(keys, order, Comparer<float>.Create((a, b) => b.CompareTo(a)));
        var positives = 0;
        foreach (var t in truth)
        {
            positives += t;
        }

        if (positives == 0 || positives == truth.Length)
        {
            return null;
        }

        double sum = 0;
        int tp = 0, seen = 0, previousTp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            tp += truth[order[k]];
            seen++;
            if (k + 1 < order.Length && keys[k + 1] == keys[k])
            {
                continue;
            }

            sum += (double)(tp - previousTp) / positives * ((double)tp / seen);
            previousTp = tp;
        }

        return sum;
    }
}
