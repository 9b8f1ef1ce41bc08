namespace MlOps.Trainer.Evaluation;

/// <summary>Metrics of a binary classifier from labels (0 or 1) and scores (probability of the positive class).</summary>
public static class BinaryMetrics
{
    /// <summary>Probabilities are clipped to [Epsilon, 1 - Epsilon] before taking logs (as scikit-learn does).</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// Computes all metrics in O(n log n) (one sort).
    /// A row is predicted positive iff its score is &gt;= <paramref name="threshold"/>; precision is 0 when nothing is predicted positive,
    /// recall is 0 when there are no positives, F1 is 0 when both precision and recall are 0.
    /// ROC AUC is the Mann–Whitney statistic (a positive and a negative with equal scores count half);
    /// average precision follows scikit-learn: sum over distinct thresholds (decreasing) of (R_k − R_{k−1}) · P_k.
    /// When the labels hold only one class both are NaN rather than an error.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, input is empty, a label is not 0/1 or a score is NaN.</exception>
    public static BinaryEvaluation Compute(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, double threshold)
    {
        var table = ThresholdTable.Build(labels, scores);
        var confusion = Confusion(labels, scores, threshold);
        int tp = confusion.TruePositives, fp = confusion.FalsePositives, fn = confusion.FalseNegatives;
        var n = table.Count;

        var precision = tp + fp == 0 ? 0.0 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 0.0 : (double)tp / (tp + fn);
        var f1 = 2 * tp + fp + fn == 0 ? 0.0 : 2.0 * tp / (2 * tp + fp + fn);
        var accuracy = (double)(tp + confusion.TrueNegatives) / n;

        return new BinaryEvaluation(
            Count: n,
            Positives: table.Positives,
            RocAuc: RocAuc(table),
            AveragePrecision: AveragePrecision(table),
            LogLoss: LogLoss(labels, scores),
            Threshold: threshold,
            Precision: precision,
            Recall: recall,
            F1: f1,
            Accuracy: accuracy,
            ConfusionMatrix: confusion);
    }

    internal static ConfusionMatrix Confusion(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, double threshold)
    {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var predictedPositive = scores[i] >= threshold;
            if (labels[i] == 1f)
            {
                if (predictedPositive)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (predictedPositive)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>Area under the ROC step curve with ties as diagonal segments, which equals the Mann–Whitney U / (P·N).</summary>
    internal static double RocAuc(ThresholdTable table)
    {
        if (table.Positives == 0 || table.Negatives == 0)
        {
            return double.NaN;
        }

        // Each group of tied scores adds (new FP) × (TP before + TP after) / 2: pairs below count 1, pairs within the group ½.
        double area = 0;
        long previousTp = 0, previousFp = 0;
        for (var k = 0; k < table.Thresholds.Length; k++)
        {
            long tp = table.TruePositives[k], fp = table.FalsePositives[k];
            area += (fp - previousFp) * (double)(tp + previousTp) / 2.0;
            previousTp = tp;
            previousFp = fp;
        }

        return area / ((double)table.Positives * table.Negatives);
    }

    internal static double AveragePrecision(ThresholdTable table)
    {
        if (table.Positives == 0 || table.Negatives == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        var previousTp = 0;
        for (var k = 0; k < table.Thresholds.Length; k++)
        {
            var tp = table.TruePositives[k];
            if (tp != previousTp)
            {
                sum += (double)(tp - previousTp) / table.Positives * table.Precision(k);
                previousTp = tp;
            }
        }

        return sum;
    }

    internal static double LogLoss(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = Math.Clamp(scores[i], LogLossEpsilon, 1 - LogLossEpsilon);
            sum -= labels[i] == 1f ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / labels.Length;
    }
}
