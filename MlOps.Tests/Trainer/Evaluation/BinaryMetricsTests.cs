using System.Diagnostics;
using MlOps.Trainer.Evaluation;

namespace MlOps.Tests.Trainer.Evaluation;

public sealed class BinaryMetricsTests
{
    // scikit-learn's documentation example. Sorted by decreasing score: 0.8(+) 0.4(−) 0.35(+) 0.1(−).
    private static readonly float[] s_labels = [0, 0, 1, 1];
    private static readonly double[] s_scores = [0.1, 0.4, 0.35, 0.8];

    [Fact]
    public void Compute_DistinctScores_MatchesHandWorkedRankingMetrics()
    {
        var result = BinaryMetrics.Compute(s_labels, s_scores, 0.5);

        // AUC: positive 0.8 beats both negatives (2 pairs), 0.35 beats only 0.1 (1 pair) → 3 / (2·2) = 0.75.
        Assert.Equal(0.75, result.RocAuc, 12);
        // AP: recall steps 0→0.5 at precision 1/1 and 0.5→1 at precision 2/3 → 0.5 + 1/3 = 0.8333….
        Assert.Equal(0.5 + (0.5 * 2.0 / 3.0), result.AveragePrecision, 12);
        // Log loss: −(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8) / 4 = (0.1053605 + 0.5108256 + 1.0498221 + 0.2231436) / 4.
        Assert.Equal(0.4722879, result.LogLoss, 6);
        Assert.Equal(4, result.Count);
        Assert.Equal(2, result.Positives);
    }

    [Fact]
    public void Compute_ThresholdEqualToAScore_CountsThatScoreAsPositive()
    {
        // score >= 0.35 → 0.8(+), 0.4(−), 0.35(+) predicted positive; 0.1(−) negative.
        var result = BinaryMetrics.Compute(s_labels, s_scores, 0.35);

        Assert.Equal(new ConfusionMatrix(TruePositives: 2, FalsePositives: 1, TrueNegatives: 1, FalseNegatives: 0), result.ConfusionMatrix);
        Assert.Equal(2.0 / 3.0, result.Precision, 12);
        Assert.Equal(1.0, result.Recall, 12);
        // F1 = 2·2 / (2·2 + 1 + 0) = 0.8.
        Assert.Equal(0.8, result.F1, 12);
        Assert.Equal(0.75, result.Accuracy, 12);
        Assert.Equal(0.35, result.Threshold);
    }

    [Fact]
    public void Compute_TiedScores_CountsTiedPairsAsHalf()
    {
        // Groups: 0.5 → {+, −, +}, 0.2 → {−}.
        float[] labels = [1, 0, 1, 0];
        double[] scores = [0.5, 0.5, 0.5, 0.2];

        var result = BinaryMetrics.Compute(labels, scores, 0.5);

        // Pairs: two positives tie the 0.5 negative (½ each = 1) and beat the 0.2 negative (1 each = 2) → 3/4.
        Assert.Equal(0.75, result.RocAuc, 12);
        // One group reaches recall 1 at precision 2/3: AP = 1 · 2/3.
        Assert.Equal(2.0 / 3.0, result.AveragePrecision, 12);
    }

    [Fact]
    public void Compute_NothingPredictedPositive_ReportsZeroPrecision()
    {
        var result = BinaryMetrics.Compute(s_labels, s_scores, 2.0);

        Assert.Equal(0.0, result.Precision);
        Assert.Equal(0.0, result.Recall);
        Assert.Equal(0.0, result.F1);
        // Both negatives are right.
        Assert.Equal(0.5, result.Accuracy, 12);
        Assert.Equal(new ConfusionMatrix(0, 0, 2, 2), result.ConfusionMatrix);
    }

    [Fact]
    public void Compute_OneClassOnly_ReturnsNaNRankingMetrics()
    {
        float[] labels = [0, 0, 0];
        double[] scores = [0.1, 0.2, 0.3];

        var result = BinaryMetrics.Compute(labels, scores, 0.25);

        Assert.True(double.IsNaN(result.RocAuc));
        Assert.True(double.IsNaN(result.AveragePrecision));
        // −(ln 0.9 + ln 0.8 + ln 0.7) / 3 = (0.1053605 + 0.2231436 + 0.3566749) / 3 = 0.2283930.
        Assert.Equal(0.2283930, result.LogLoss, 6);
        Assert.Equal(2.0 / 3.0, result.Accuracy, 12);
    }

    [Fact]
    public void Compute_ConfidentWrongPrediction_ClipsLogLoss()
    {
        // A positive scored 0 would be −ln 0 = ∞; clipped to 1e-15 it is −ln 1e-15 = 34.5387764; the negative at 0 costs −ln(1 − 1e-15) ≈ 0.
        float[] labels = [1, 0];
        double[] scores = [0.0, 0.0];

        var result = BinaryMetrics.Compute(labels, scores, 0.5);

        Assert.Equal(34.5387764 / 2, result.LogLoss, 6);
    }

    [Fact]
    public void Compute_LengthMismatch_ThrowsArgumentException()
    {
        float[] labels = [0, 1];
        double[] scores = [0.5];

        Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute(labels, scores, 0.5));
    }

    [Fact]
    public void Compute_LabelNotZeroOrOne_ThrowsArgumentException()
    {
        float[] labels = [0, 2];
        double[] scores = [0.5, 0.5];

        Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute(labels, scores, 0.5));
    }

    [Fact]
    public void Compute_RandomScoresWithTies_MatchesPairwiseMannWhitney()
    {
        var random = new Random(12345);
        const int N = 400;
        var labels = new float[N];
        var scores = new double[N];
        for (var i = 0; i < N; i++)
        {
            labels[i] = random.NextDouble() < 0.2 ? 1 : 0;
            // Two decimals → many ties.
            scores[i] = Math.Round(random.NextDouble(), 2);
        }

        double wins = 0;
        double pairs = 0;
        for (var i = 0; i < N; i++)
        {
            for (var j = 0; j < N; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        var result = BinaryMetrics.Compute(labels, scores, 0.5);

        Assert.Equal(wins / pairs, result.RocAuc, 12);
    }

    [Fact]
    public void Compute_OneMillionRows_FinishesQuickly()
    {
        var random = new Random(7);
        const int N = 1_000_000;
        var labels = new float[N];
        var scores = new double[N];
        for (var i = 0; i < N; i++)
        {
            labels[i] = random.NextDouble() < 0.01 ? 1 : 0;
            scores[i] = Math.Clamp((labels[i] * 0.3) + (random.NextDouble() * 0.7), 0, 1);
        }

        var stopwatch = Stopwatch.StartNew();
        var result = BinaryMetrics.Compute(labels, scores, 0.5);
        stopwatch.Stop();

        // Positives are uniform on [0.3, 1), negatives on [0, 0.7): AUC = 1 − P(neg > pos) = 1 − (0.4·0.4/2)/(0.7·0.7) = 0.8367.
        Assert.Equal(0.8367, result.RocAuc, 2);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"Took {stopwatch.Elapsed}.");
    }

    [Fact]
    public void ToMetrics_WithPrefix_NamesAndValuesMatchEvaluation()
    {
        var result = BinaryMetrics.Compute(s_labels, s_scores, 0.35);

        var metrics = result.ToMetrics("validation_").ToDictionary();

        Assert.Equal(14, metrics.Count);
        Assert.Equal(0.75, metrics["validation_roc_auc"], 12);
        Assert.Equal(0.8, metrics["validation_f1"], 12);
        Assert.Equal(1.0, metrics["validation_false_positives"]);
    }
}
