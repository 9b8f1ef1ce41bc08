using MlOps.Serving.Model;
using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Monitoring.Quality;
using MlOps.Trainer.Evaluation;

namespace MlOps.Tests.Serving;

/// <summary>PSI, binning and live-quality figures against values worked out by hand.</summary>
public sealed class MonitoringMathTests
{
    [Fact]
    public void Psi_OfAHalfAndHalfReferenceAgainstEightyTwenty_IsTheHandWorkedValue()
    {
        // (0.8 − 0.5)·ln(0.8/0.5) + (0.2 − 0.5)·ln(0.2/0.5) = 0.3·0.4700036 + 0.3·0.9162907
        Assert.Equal(0.4158883, Psi.Compute([50, 50], [80, 20]), 7);
    }

    [Fact]
    public void Psi_OfAnEmptyReferenceBin_CountsItAsOneInTenThousand()
    {
        // e = (1, 1e-4), a = (0.9, 0.1): (−0.1)·ln(0.9) + (0.0999)·ln(1000) = 0.0105361 + 0.6900848
        Assert.Equal(0.7006208, Psi.Compute([100, 0], [90, 10]), 7);
    }

    [Fact]
    public void Psi_OfProportionalCounts_IsZero_AndOfNothing_IsNaN()
    {
        Assert.Equal(0.0, Psi.Compute([1, 3, 0], [20, 60, 0]), 12);
        Assert.True(double.IsNaN(Psi.Compute([1, 2], [0, 0])));
        Assert.Throws<ArgumentException>(() => Psi.Compute([1, 2], [1, 2, 3]));
    }

    [Fact]
    public void NumericColumn_BinsAsTheTrainerCounted_WithMissingLast()
    {
        var column = DriftColumn.Numeric("amount", [0, 10, 20, 30], [5, 5, 5], missing: 2);

        Assert.Equal([5L, 5, 5, 2], column.Reference);
        Assert.Equal(["[0, 10)", "[10, 20)", "[20, 30]", "missing"], column.Labels);
        // Below the first edge → first bin; at an edge → the bin it opens; at or above the last → last bin.
        Assert.Equal([0, 0, 0, 1, 2, 2, 2, 3],
            new[] { -5, 0, 9.99, 10, 29, 30, 1000, double.NaN }.Select(v => column.BinOf(v)));
    }

    [Fact]
    public void CategoricalColumn_HasTheTopCategories_ThenOtherUnseenAndMissing()
    {
        var feature = new SchemaFeature("merchant_category", isCategorical: true, ["grocery", "travel", "games"]);
        var column = DriftColumn.Categorical(feature, [("grocery", 6), ("travel", 3)], other: 2, missing: 1);

        Assert.Equal([6L, 3, 2, 0, 1], column.Reference);
        Assert.Equal(["grocery", "travel", "__other__", "unseen", "missing"], column.Labels);
        Assert.Equal([0, 1, 2, 3, 4], new[] { "grocery", "travel", "games", "crypto", "" }.Select(v => column.BinOf(v)));
    }

    [Fact]
    public void DriftWindow_KeepsTheLastRows_AndTheirCounts()
    {
        var window = new DriftWindow(capacity: 3, binsPerColumn: [2, 0, 3]);
        ushort[][] rows = [[0, 0, 2], [1, 0, 2], [1, 0, 0], [0, 0, 1]];
        foreach (var row in rows)
        {
            window.Add(row);
        }

        // The first row has left: rows 2-4 remain.
        Assert.Equal(3, window.Count);
        Assert.Equal([1L, 2], window.Counts(0).ToArray());
        Assert.Empty(window.Counts(1).ToArray());
        Assert.Equal([1L, 1, 1], window.Counts(2).ToArray());
    }

    [Fact]
    public void AveragePrecision_IsTheHandWorkedValue_WithTiesAsOneThreshold()
    {
        // Thresholds 0.9 (P 1, R ½), 0.8 (no new positive), 0.7 (P ⅔, R 1): ½·1 + ½·⅔ = ⅚.
        Assert.Equal(5.0 / 6, QualityMetrics.AveragePrecision([0.9f, 0.8f, 0.7f, 0.6f], [1, 0, 1, 0])!.Value, 12);
        // One threshold holding both rows: P ½ at R 1.
        Assert.Equal(0.5, QualityMetrics.AveragePrecision([0.5f, 0.5f], [1, 0])!.Value, 12);
        Assert.Null(QualityMetrics.AveragePrecision([0.5f, 0.2f], [0, 0]));
    }

    [Fact]
    public void PrecisionAndRecall_AreTheHandWorkedValues_OrNullWhenUndefined()
    {
        int[] predicted = [1, 1, 0, 0, 1];
        int[] truth = [1, 0, 1, 0, 1];
        Assert.Equal(2.0 / 3, QualityMetrics.Precision(predicted, truth));
        Assert.Equal(2.0 / 3, QualityMetrics.Recall(predicted, truth));
        Assert.Null(QualityMetrics.Precision([0, 0], [1, 0]));
        Assert.Null(QualityMetrics.Recall([1, 0], [0, 0]));
    }

    [Fact]
    public void AveragePrecision_AgreesWithTheTrainersEvaluation_OnRandomScores()
    {
        var random = new Random(61);
        // Coarse scores so ties are common, as they are for tree ensembles.
        var scores = Enumerable.Range(0, 2000).Select(_ => (float)Math.Round(random.NextDouble(), 2)).ToArray();
        var truth = scores.Select(s => random.NextDouble() < s ? 1 : 0).ToArray();

        var trainer = BinaryMetrics.Compute([.. truth.Select(t => (float)t)], [.. scores.Select(s => (double)s)], 0.5);

        Assert.Equal(trainer.AveragePrecision, QualityMetrics.AveragePrecision(scores, truth)!.Value, 12);
    }
}
