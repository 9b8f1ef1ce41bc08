namespace MlOps.Trainer.Evaluation;

/// <summary>One point of a precision–recall curve; <see cref="Threshold"/> is +∞ for the (recall 0, precision 1) start point.</summary>
public readonly record struct PrecisionRecallPoint(double Recall, double Precision, double Threshold);

/// <summary>One point of a ROC curve; <see cref="Threshold"/> is +∞ for the (0, 0) start point.</summary>
public readonly record struct RocPoint(double FalsePositiveRate, double TruePositiveRate, double Threshold);

/// <summary>
/// Precision–recall and ROC curves, one point per distinct score (predict positive iff score &gt;= threshold),
/// downsampled for plotting to at most <c>maxPoints</c> evenly spaced points, always keeping both endpoints.
/// Rates whose denominator is 0 (no positives, or no negatives) are reported as 0.
/// </summary>
public static class Curves
{
    public const int DefaultMaxPoints = 1000;

    /// <summary>Points in order of decreasing threshold (increasing recall), starting at (recall 0, precision 1) like scikit-learn.</summary>
    public static PrecisionRecallPoint[] PrecisionRecall(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, int maxPoints = DefaultMaxPoints)
    {
        var table = ThresholdTable.Build(labels, scores);
        var points = new PrecisionRecallPoint[table.Thresholds.Length + 1];
        points[0] = new PrecisionRecallPoint(0.0, 1.0, double.PositiveInfinity);
        for (var k = 0; k < table.Thresholds.Length; k++)
        {
            points[k + 1] = new PrecisionRecallPoint(table.Recall(k), table.Precision(k), table.Thresholds[k]);
        }

        return Downsample(points, maxPoints);
    }

    /// <summary>Points in order of decreasing threshold, from (0, 0) to (1, 1).</summary>
    public static RocPoint[] Roc(ReadOnlySpan<float> labels, ReadOnlySpan<double> scores, int maxPoints = DefaultMaxPoints)
    {
        var table = ThresholdTable.Build(labels, scores);
        var points = new RocPoint[table.Thresholds.Length + 1];
        points[0] = new RocPoint(0.0, 0.0, double.PositiveInfinity);
        for (var k = 0; k < table.Thresholds.Length; k++)
        {
            points[k + 1] = new RocPoint(table.FalsePositiveRate(k), table.Recall(k), table.Thresholds[k]);
        }

        return Downsample(points, maxPoints);
    }

    /// <summary>Keeps <paramref name="maxPoints"/> points at evenly spaced indices, including the first and the last.</summary>
    internal static T[] Downsample<T>(T[] points, int maxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (points.Length <= maxPoints)
        {
            return points;
        }

        var result = new T[maxPoints];
        var last = points.Length - 1;
        for (var i = 0; i < maxPoints; i++)
        {
            // Index i·last/(maxPoints−1) rounded down; i = maxPoints−1 lands exactly on the last point.
            result[i] = points[(int)((long)i * last / (maxPoints - 1))];
        }

        return result;
    }
}
