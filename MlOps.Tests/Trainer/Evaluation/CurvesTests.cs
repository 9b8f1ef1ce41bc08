using MlOps.Trainer.Evaluation;

namespace MlOps.Tests.Trainer.Evaluation;

public sealed class CurvesTests
{
    // Sorted by decreasing score: 0.8(+) 0.4(−) 0.35(+) 0.1(−); P = N = 2.
    private static readonly float[] s_labels = [0, 0, 1, 1];
    private static readonly double[] s_scores = [0.1, 0.4, 0.35, 0.8];

    [Fact]
    public void PrecisionRecall_FourRows_ReturnsOnePointPerScorePlusStart()
    {
        var points = Curves.PrecisionRecall(s_labels, s_scores);

        PrecisionRecallPoint[] expected =
        [
            new(0.0, 1.0, double.PositiveInfinity),
            new(0.5, 1.0, 0.8),        // TP1 FP0
            new(0.5, 0.5, 0.4),        // TP1 FP1
            new(1.0, 2.0 / 3.0, 0.35), // TP2 FP1
            new(1.0, 0.5, 0.1),        // TP2 FP2
        ];
        Assert.Equal(expected, points);
    }

    [Fact]
    public void Roc_FourRows_RunsFromOriginToOne()
    {
        var points = Curves.Roc(s_labels, s_scores);

        RocPoint[] expected =
        [
            new(0.0, 0.0, double.PositiveInfinity),
            new(0.0, 0.5, 0.8),
            new(0.5, 0.5, 0.4),
            new(0.5, 1.0, 0.35),
            new(1.0, 1.0, 0.1),
        ];
        Assert.Equal(expected, points);
    }

    [Fact]
    public void Roc_ManyDistinctScores_DownsamplesKeepingEndpoints()
    {
        const int N = 5000;
        var labels = new float[N];
        var scores = new double[N];
        for (var i = 0; i < N; i++)
        {
            labels[i] = i % 3 == 0 ? 1 : 0;
            scores[i] = i / (double)N;
        }

        var points = Curves.Roc(labels, scores, maxPoints: 1000);

        Assert.Equal(1000, points.Length);
        Assert.Equal(new RocPoint(0, 0, double.PositiveInfinity), points[0]);
        // The lowest score (0) predicts everything positive.
        Assert.Equal(new RocPoint(1, 1, 0), points[^1]);
        for (var i = 1; i < points.Length; i++)
        {
            Assert.True(points[i].Threshold < points[i - 1].Threshold);
        }
    }
}
