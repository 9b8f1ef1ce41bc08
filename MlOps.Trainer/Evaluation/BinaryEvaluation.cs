namespace MlOps.Trainer.Evaluation;

/// <summary>Counts of a binary classifier's predictions at one threshold.</summary>
public sealed record ConfusionMatrix(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives);

/// <summary>
/// Ranking metrics (threshold-free) and decision metrics at <see cref="Threshold"/> for a binary classifier.
/// <see cref="RocAuc"/> and <see cref="AveragePrecision"/> are NaN when the labels hold only one class.
/// </summary>
public sealed record BinaryEvaluation(
    int Count,
    int Positives,
    double RocAuc,
    double AveragePrecision,
    double LogLoss,
    double Threshold,
    double Precision,
    double Recall,
    double F1,
    double Accuracy,
    ConfusionMatrix ConfusionMatrix);
