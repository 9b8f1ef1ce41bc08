using MlOps.Trainer.LightGbm;

namespace MlOps.Tests.Trainer.LightGbm;

public sealed class GradientBoostingTrainerTests
{
    [Fact]
    public void Train_SeparableSignal_ValidationAucAbovePointNine()
    {
        var train = SyntheticData.Separable(2000, seed: 1);
        var validation = SyntheticData.Separable(1000, seed: 2);

        using var result = GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters(), progress: null, CancellationToken.None);

        Assert.NotNull(result.BestMetrics);
        Assert.True(result.BestMetrics.ValidationAuc > 0.9, $"AUC {result.BestMetrics.ValidationAuc}");
        var predictions = result.Booster.Predict(validation.ColumnMajor, validation.Rows, validation.Columns);
        Assert.All(predictions, p => Assert.InRange(p, 0.0, 1.0));
        var meanPositive = predictions.Where((_, i) => validation.Labels[i] > 0.5f).Average();
        var meanNegative = predictions.Where((_, i) => validation.Labels[i] < 0.5f).Average();
        Assert.True(meanPositive > meanNegative + 0.3, $"positives {meanPositive}, negatives {meanNegative}");
        Assert.Equal(result.BestIteration, result.Booster.CurrentIteration);
    }

    [Fact]
    public void Train_SeparableSignal_SignalFeatureHasLargestGain()
    {
        var train = SyntheticData.Separable(2000, seed: 3);
        var validation = SyntheticData.Separable(1000, seed: 4);

        using var result = GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters(), progress: null, CancellationToken.None);
        var gain = result.Booster.FeatureImportance(gain: true, numIteration: result.BestIteration);

        Assert.Equal(3, gain.Length);
        Assert.True(gain[0] > gain[1] && gain[0] > gain[2], string.Join(", ", gain));
    }

    [Fact]
    public void Train_NoSignal_StopsEarlyAtEarlierBestIteration()
    {
        var train = SyntheticData.Noise(1500, seed: 5);
        var validation = SyntheticData.Noise(800, seed: 6);
        var parameters = SyntheticData.SmallParameters() with { NumIterations = 300, EarlyStoppingRounds = 10 };

        using var result = GradientBoostingTrainer.Train(train, validation, parameters, progress: null, CancellationToken.None);

        Assert.True(result.IterationsRun < 300, $"ran {result.IterationsRun}");
        Assert.True(result.BestIteration < result.IterationsRun);
        Assert.Equal(result.BestIteration + 10, result.IterationsRun);
        Assert.Equal(result.IterationsRun, result.History.Count);
        // Early stopping watches the validation log loss by default.
        var bestLogLoss = result.History.Min(m => m.ValidationLogLoss);
        Assert.Equal(bestLogLoss, result.History[result.BestIteration - 1].ValidationLogLoss);
    }

    [Fact]
    public void Train_EarlyStoppingOnPrAuc_KeepsTheIterationWithTheBestValidationPrAuc()
    {
        var train = SyntheticData.Noise(1500, seed: 5);
        var validation = SyntheticData.Noise(800, seed: 6);
        var parameters = SyntheticData.SmallParameters() with
        {
            NumIterations = 300, EarlyStoppingRounds = 10, EarlyStoppingMetric = EarlyStoppingMetric.PrAuc,
        };

        using var result = GradientBoostingTrainer.Train(train, validation, parameters, progress: null, CancellationToken.None);

        Assert.All(result.History, m => Assert.False(double.IsNaN(m.ValidationAveragePrecision)));
        var bestPrecision = result.History.Max(m => m.ValidationAveragePrecision);
        Assert.Equal(bestPrecision, result.History[result.BestIteration - 1].ValidationAveragePrecision);
    }

    [Fact]
    public void Train_LargeValidation_RankingFiguresEveryFewIterationsAndForTheKeptOne()
    {
        var train = SyntheticData.Separable(3000, seed: 41);
        var validation = SyntheticData.Separable(20_000, seed: 42);
        var parameters = SyntheticData.SmallParameters() with { NumIterations = 12, EarlyStoppingRounds = 0 };

        using var result = GradientBoostingTrainer.Train(train, validation, parameters, progress: null, CancellationToken.None);

        // 20,000 rows: AUC and PR-AUC every 4th iteration (and the first); log loss every one.
        Assert.All(result.History, m => Assert.False(double.IsNaN(m.ValidationLogLoss)));
        Assert.Equal([1, 4, 8, 12], result.History.Where(m => !double.IsNaN(m.ValidationAuc)).Select(m => m.Iteration));
        var scores = result.Booster.Predict(validation.ColumnMajor, validation.Rows, validation.Columns);
        var expected = MlOps.Trainer.Evaluation.BinaryMetrics.Compute(validation.Labels, scores, 0.5);
        Assert.Equal(expected.AveragePrecision, result.BestMetrics!.ValidationAveragePrecision, 12);
    }

    [Fact]
    public void Train_SameDataAndParameters_IdenticalModelText()
    {
        var train = SyntheticData.Separable(1500, seed: 7);
        var validation = SyntheticData.Separable(700, seed: 8);
        var parameters = SyntheticData.SmallParameters() with { NumIterations = 25 };

        using var first = GradientBoostingTrainer.Train(train, validation, parameters, progress: null, CancellationToken.None);
        using var second = GradientBoostingTrainer.Train(train, validation, parameters, progress: null, CancellationToken.None);

        Assert.Equal(first.ModelText, second.ModelText);
        Assert.Equal(first.History, second.History);
    }

    [Fact]
    public void Train_CategoricalSignal_ModelUsesCategoricalSplits()
    {
        var train = SyntheticData.Categorical(3000, seed: 9);
        var validation = SyntheticData.Categorical(1000, seed: 10);

        using var result = GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters(), progress: null, CancellationToken.None);

        Assert.Contains("categorical_feature=0", result.ParameterString, StringComparison.Ordinal);
        Assert.Contains("cat_threshold=", result.ModelText, StringComparison.Ordinal);
        Assert.True(result.BestMetrics!.ValidationAuc > 0.85, $"AUC {result.BestMetrics.ValidationAuc}");
    }

    [Fact]
    public void Train_NumericOnly_ModelHasNoCategoricalSplits()
    {
        var train = SyntheticData.Separable(1000, seed: 11);
        var validation = SyntheticData.Separable(500, seed: 12);

        using var result = GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters() with { NumIterations = 10 }, progress: null, CancellationToken.None);

        Assert.DoesNotContain("cat_threshold=", result.ModelText, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WithProgress_ReportsEveryIterationInOrder()
    {
        var train = SyntheticData.Separable(1000, seed: 13);
        var validation = SyntheticData.Separable(500, seed: 14);
        var progress = new RecordingProgress();

        using var result = GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters() with { NumIterations = 15 }, progress, CancellationToken.None);

        Assert.Equal(result.History, progress.Reports);
        Assert.Equal(Enumerable.Range(1, result.IterationsRun), progress.Reports.Select(m => m.Iteration));
        Assert.True(progress.Reports[^1].ValidationLogLoss < progress.Reports[0].ValidationLogLoss);
    }

    [Fact]
    public void Train_NullScalePositiveWeight_TrainsUnweighted()
    {
        var train = SyntheticData.Separable(1000, seed: 15);
        var validation = SyntheticData.Separable(500, seed: 16);

        using var result = GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters() with { NumIterations = 3 }, progress: null, CancellationToken.None);

        Assert.Null(result.Parameters.ScalePositiveWeight);
        Assert.DoesNotContain("scale_pos_weight", result.ParameterString, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_EarlyStoppingOff_KeepsEveryIterationEvenPastTheBest()
    {
        // Pure noise: validation PR-AUC peaks early, so the best iteration is far below the number run.
        var train = SyntheticData.Noise(2000, seed: 31);
        var validation = SyntheticData.Noise(1000, seed: 32);
        var parameters = SyntheticData.SmallParameters() with { NumIterations = 40 };

        using var stopped = GradientBoostingTrainer.Train(train, validation, parameters with { EarlyStoppingRounds = 5 }, null, CancellationToken.None);
        using var off = GradientBoostingTrainer.Train(train, validation, parameters with { EarlyStoppingRounds = 0 }, null, CancellationToken.None);

        Assert.True(stopped.BestIteration < 40, $"noise should stop early, best {stopped.BestIteration}");
        Assert.Equal(40, off.IterationsRun);
        Assert.Equal(40, off.BestIteration);
        Assert.Equal(40, off.Booster.CurrentIteration);
    }

    [Fact]
    public void Refit_GivenIterationCount_TrainsExactlyThatManyTreesOnAllRows()
    {
        var data = SyntheticData.Separable(1500, seed: 33);

        using var refit = GradientBoostingTrainer.Refit(data, SyntheticData.SmallParameters(), 17, null, CancellationToken.None);

        Assert.Equal(17, refit.BestIteration);
        Assert.Equal(17, refit.Booster.CurrentIteration);
        Assert.Contains("num_iterations=17", refit.ParameterString, StringComparison.Ordinal);
        var scores = refit.Booster.Predict(data.ColumnMajor, data.Rows, data.Columns);
        Assert.True(MlOps.Trainer.Evaluation.BinaryMetrics.Compute(data.Labels, scores, 0.5).RocAuc > 0.9);
    }

    [Fact]
    public void Train_CancelledToken_ThrowsOperationCanceled()
    {
        var train = SyntheticData.Separable(500, seed: 17);
        var validation = SyntheticData.Separable(200, seed: 18);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => GradientBoostingTrainer.Train(
            train, validation, SyntheticData.SmallParameters(), progress: null, cancellation.Token));
    }

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<IterationMetrics>
    {
        public List<IterationMetrics> Reports { get; } = [];

        public void Report(IterationMetrics value) => Reports.Add(value);
    }
}
