namespace MlOps.Trainer.Evaluation;

/// <summary>Flattens evaluations into the name → value form experiment trackers (MLflow) log.</summary>
public static class EvaluationMetrics
{
    /// <summary>
    /// snake_case metric names, each prefixed (e.g. "validation_"): roc_auc, average_precision, log_loss, threshold,
    /// precision, recall, f1, accuracy, true_positives, false_positives, true_negatives, false_negatives, count, positives.
    /// roc_auc and average_precision are NaN when the data held one class; callers that cannot log NaN should drop them.
    /// Keys are in this fixed order.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> ToMetrics(this BinaryEvaluation evaluation, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(prefix);
        var m = evaluation.ConfusionMatrix;
        return
        [
            new(prefix + "roc_auc", evaluation.RocAuc),
            new(prefix + "average_precision", evaluation.AveragePrecision),
            new(prefix + "log_loss", evaluation.LogLoss),
            new(prefix + "threshold", evaluation.Threshold),
            new(prefix + "precision", evaluation.Precision),
            new(prefix + "recall", evaluation.Recall),
            new(prefix + "f1", evaluation.F1),
            new(prefix + "accuracy", evaluation.Accuracy),
            new(prefix + "true_positives", m.TruePositives),
            new(prefix + "false_positives", m.FalsePositives),
            new(prefix + "true_negatives", m.TrueNegatives),
            new(prefix + "false_negatives", m.FalseNegatives),
            new(prefix + "count", evaluation.Count),
            new(prefix + "positives", evaluation.Positives),
        ];
    }
}
