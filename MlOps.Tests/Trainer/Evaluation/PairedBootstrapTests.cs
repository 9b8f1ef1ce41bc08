using MlOps.Trainer.Data;
using MlOps.Trainer.Evaluation;

namespace MlOps.Tests.Trainer.Evaluation;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void Compare_SameScores_GainAndIntervalAreZero()
    {
        var (labels, scores) = Scores(2000, signal: 2.0, seed: 1);

        var result = PairedBootstrap.Compare(labels, scores, scores, 0.95, seed: 7);

        Assert.Equal(result.Candidate, result.Baseline);
        Assert.Equal((0.0, 0.0), (result.Low, result.High));
    }

    [Fact]
    public void Compare_PointEstimates_EqualAveragePrecisionOfBinaryMetrics()
    {
        var (labels, strong) = Scores(3000, signal: 2.5, seed: 2);
        var (_, weak) = Scores(3000, signal: 0.5, seed: 3, labels);

        var result = PairedBootstrap.Compare(labels, strong, weak, 0.95, seed: 7);

        Assert.Equal(BinaryMetrics.Compute(labels, [.. strong.Select(s => (double)s)], 0.5).AveragePrecision, result.Candidate, 12);
        Assert.Equal(BinaryMetrics.Compute(labels, [.. weak.Select(s => (double)s)], 0.5).AveragePrecision, result.Baseline, 12);
    }

    [Fact]
    public void Compare_ClearlyBetterCandidate_IntervalAboveZero()
    {
        var (labels, strong) = Scores(3000, signal: 2.5, seed: 4);
        var (_, weak) = Scores(3000, signal: 0.5, seed: 5, labels);

        var result = PairedBootstrap.Compare(labels, strong, weak, 0.95, seed: 7);

        Assert.True(result.Low > 0, $"interval [{result.Low}, {result.High}]");
        Assert.InRange(result.Gain, result.Low, result.High);
    }

    [Fact]
    public void Compare_TwoEquallyGoodModels_IntervalStraddlesZero()
    {
        // Same signal, independent noise: a difference that is pure luck.
        var (labels, a) = Scores(1500, signal: 1.5, seed: 6);
        var (_, b) = Scores(1500, signal: 1.5, seed: 8, labels);

        var result = PairedBootstrap.Compare(labels, a, b, 0.95, seed: 7);

        Assert.True(result.Low < 0 && result.High > 0, $"interval [{result.Low}, {result.High}]");
    }

    [Fact]
    public void Compare_SameSeed_SameInterval()
    {
        var (labels, a) = Scores(1000, signal: 1.5, seed: 9);
        var (_, b) = Scores(1000, signal: 1.0, seed: 10, labels);

        Assert.Equal(PairedBootstrap.Compare(labels, a, b, 0.9, seed: 3), PairedBootstrap.Compare(labels, a, b, 0.9, seed: 3));
    }

    // Scores = signal × label + noise, squashed to (0, 1); about 10% positives.
    private static (float[] Labels, float[] Scores) Scores(int rows, double signal, ulong seed, float[]? labels = null)
    {
        var rng = new Xoshiro256StarStar(seed);
        labels ??= [.. Enumerable.Range(0, rows).Select(_ => rng.Chance(0.1) ? 1f : 0f)];
        var scores = labels.Select(l => (float)(1 / (1 + Math.Exp(-((signal * l) + Gaussian(rng) - 2))))).ToArray();
        return (labels, scores);
    }

    private static double Gaussian(Xoshiro256StarStar rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
