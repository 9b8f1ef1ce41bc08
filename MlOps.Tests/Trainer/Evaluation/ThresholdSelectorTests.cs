using MlOps.Trainer.Evaluation;

namespace MlOps.Tests.Trainer.Evaluation;

public sealed class ThresholdSelectorTests
{
    // P = 3. Per threshold (score >= t):
    //   t    TP FP  precision recall  F1 = 2TP/(TP+FP+P)
    //   0.9  1  0   1         1/3     2/4 = 0.5
    //   0.8  2  0   1         2/3     4/5 = 0.8
    //   0.7  2  1   2/3       2/3     4/6 = 0.667
    //   0.6  3  1   3/4       1       6/7 = 0.857
    //   0.5  3  2   3/5       1       6/8 = 0.75
    //   0.4  3  3   1/2       1       6/9 = 0.667
    private static readonly float[] s_labels = [1, 1, 0, 1, 0, 0];
    private static readonly double[] s_scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];

    [Fact]
    public void MaxF1_SixRows_PicksHighestF1Threshold()
    {
        var choice = ThresholdSelector.MaxF1(s_labels, s_scores);

        Assert.Equal(0.6, choice.Threshold);
        Assert.Equal(6.0 / 7.0, choice.F1, 12);
        Assert.Equal(0.75, choice.Precision, 12);
        Assert.Equal(1.0, choice.Recall, 12);
        Assert.Equal("max_f1", choice.Strategy);
    }

    [Fact]
    public void MaxF1_EqualF1_PrefersHigherThreshold()
    {
        // P = 2: t=0.9 → TP1 FP0, F1 = 2/3; t=0.6 → TP2 FP2, F1 = 4/6 = 2/3; the two in between are lower.
        float[] labels = [1, 0, 0, 1];
        double[] scores = [0.9, 0.8, 0.7, 0.6];

        var choice = ThresholdSelector.MaxF1(labels, scores);

        Assert.Equal(0.9, choice.Threshold);
    }

    [Theory]
    [InlineData(0.9, 0.8)]  // precision 1 holds down to 0.8
    [InlineData(1.0, 0.8)]
    [InlineData(0.7, 0.6)]  // 0.6 has precision 0.75; 0.5 only 0.6
    [InlineData(0.5, 0.4)]  // every threshold qualifies → the lowest
    public void MinPrecision_Reachable_PicksLowestQualifyingThreshold(double minPrecision, double expectedThreshold)
    {
        var choice = ThresholdSelector.MinPrecision(s_labels, s_scores, minPrecision);

        Assert.Equal(expectedThreshold, choice.Threshold);
        Assert.True(choice.Precision >= minPrecision);
        Assert.Equal("min_precision", choice.Strategy);
        Assert.DoesNotContain("fell back", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MinPrecision_Unreachable_FallsBackToMaxF1AndSaysSo()
    {
        // t=0.9 → TP0 FP1 (precision 0, F1 0); t=0.1 → TP1 FP1 (precision 1/2, F1 = 2/3). Nothing reaches 1.0.
        float[] labels = [0, 1];
        double[] scores = [0.9, 0.1];

        var choice = ThresholdSelector.MinPrecision(labels, scores, 1.0);

        Assert.Equal(0.1, choice.Threshold);
        Assert.Equal(2.0 / 3.0, choice.F1, 12);
        Assert.Contains("fell back", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MinPrecision_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdSelector.MinPrecision(s_labels, s_scores, 1.5));
    }
}
