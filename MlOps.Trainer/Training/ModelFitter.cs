using System.Globalization;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.LightGbm;

namespace MlOps.Trainer.Training;

/// <summary>What <see cref="ModelFitter.Fit"/> produced: the final model and the figures of the model card.</summary>
internal sealed record FitResult(
    TrainingResult EarlyStopped,
    TrainingResult? Refitted,
    LightGbmParameters Parameters,
    ThresholdChoice Threshold,
    BinaryEvaluation ValidationEvaluation,
    BinaryEvaluation TestEvaluation,
    double[] TestScores,
    double TrainSeconds) : IDisposable
{
    /// <summary>The model that is exported: the refit one when there is one.</summary>
    public TrainingResult Final => Refitted ?? EarlyStopped;

    public void Dispose()
    {
        EarlyStopped.Dispose();
        Refitted?.Dispose();
    }
}

/// <summary>
/// Trains with early stopping on validation, chooses the threshold on the validation scores of that model, refits
/// on train + validation with the chosen number of trees when asked, and scores the untouched test split.
/// </summary>
internal static class ModelFitter
{
    public static FitResult Fit(PreparedData data, TrainingRequest request, string device, StageRunner stages, CancellationToken ct)
    {
        var config = request.Config;
        var parameters = Parameters(config.LightGbm, data.Train.Labels, request.Seed, device);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var trained = stages.Run("train",
            () => GradientBoostingTrainer.Train(data.Train, data.Validation, parameters, new Progress(stages.Reporter, parameters.NumIterations), ct),
            r => Describe(r, parameters.EarlyStoppingRounds));
        TrainingResult? refitted = null;
        try
        {
            var validationScores = trained.Booster.Predict(data.Validation.ColumnMajor, data.Validation.Rows, data.Validation.Columns);
            var threshold = ChooseThreshold(data.Validation.Labels, validationScores, config.Threshold);
            if (ShouldRefit(config.Refit, data))
            {
                refitted = stages.Run("refit", () =>
                {
                    var all = data.TrainAndValidation();
                    return GradientBoostingTrainer.Refit(all, parameters, trained.BestIteration, null, ct);
                }, r => string.Create(CultureInfo.InvariantCulture, $"{r.BestIteration} trees on train + validation ({data.Train.Rows + data.Validation.Rows:N0} rows)"));
            }

            var trainSeconds = clock.Elapsed.TotalSeconds;
            TrainerTelemetry.RowsTrained.Add(data.Train.Rows + (refitted is null ? 0 : data.Train.Rows + data.Validation.Rows));
            var final = refitted ?? trained;
            var (testEval, testScores) = stages.Run("evaluate", () =>
            {
                var scores = final.Booster.Predict(data.Test.ColumnMajor, data.Test.Rows, data.Test.Columns);
                return (BinaryMetrics.Compute(data.Test.Labels, scores, threshold.Threshold), scores);
            }, r => $"test ROC-AUC {r.Item1.RocAuc:F4}, PR-AUC {r.Item1.AveragePrecision:F4}, threshold {threshold.Threshold:F4}");
            return new FitResult(trained, refitted, parameters, threshold,
                BinaryMetrics.Compute(data.Validation.Labels, validationScores, threshold.Threshold),
                testEval, testScores, trainSeconds);
        }
        catch
        {
            trained.Dispose();
            refitted?.Dispose();
            throw;
        }
    }

    /// <summary>Auto refits when the validation rows add at least a tenth to the training rows.</summary>
    public static bool ShouldRefit(RefitMode mode, PreparedData data) => mode switch
    {
        RefitMode.On => true,
        RefitMode.Off => false,
        _ => data.Validation.Rows >= 0.1 * data.Train.Rows,
    };

    /// <summary>LightGBM's parameters from the config; the class weighting becomes scale_pos_weight.</summary>
    public static LightGbmParameters Parameters(HyperParameters h, float[] trainLabels, int seed, string device)
    {
        var scale = h.ScalePosWeight ?? h.ClassWeight switch
        {
            ClassWeight.Balanced => LightGbmParameters.BalancedScalePositiveWeight(trainLabels),
            ClassWeight.Sqrt => LightGbmParameters.SqrtScalePositiveWeight(trainLabels),
            _ => (double?)null,
        };
        return new LightGbmParameters
        {
            NumIterations = h.NumIterations,
            LearningRate = h.LearningRate,
            NumLeaves = h.NumLeaves,
            MaxDepth = h.MaxDepth,
            MinDataInLeaf = h.MinDataInLeaf,
            FeatureFraction = h.FeatureFraction,
            BaggingFraction = h.BaggingFraction,
            BaggingFrequency = h.BaggingFrequency,
            LambdaL1 = h.LambdaL1,
            LambdaL2 = h.LambdaL2,
            MaxBin = h.MaxBin,
            EarlyStoppingRounds = h.EarlyStoppingRounds,
            EarlyStoppingMetric = h.EarlyStoppingMetric ?? (scale is null ? EarlyStoppingMetric.LogLoss : EarlyStoppingMetric.PrAuc),
            ScalePositiveWeight = scale,
            Seed = seed,
            NumThreads = h.NumThreads > 0 ? h.NumThreads : Environment.ProcessorCount,
            Device = device,
        };
    }

    private static string Describe(TrainingResult r, int earlyStoppingRounds) => earlyStoppingRounds > 0
        ? $"best iteration {r.BestIteration} of {r.IterationsRun} (early stopping after {earlyStoppingRounds} rounds without gain)"
        : $"{r.BestIteration} iterations (early stopping off)";

    private static ThresholdChoice ChooseThreshold(float[] labels, double[] scores, ThresholdConfig config)
    {
        var choice = config.MinPrecision is { } minPrecision
            ? ThresholdSelector.MinPrecision(labels, scores, minPrecision)
            : ThresholdSelector.MaxF1(labels, scores);
        return choice with { Threshold = BelowChosenScore(scores, choice.Threshold) };
    }

    /// <summary>
    /// The selector returns a threshold equal to a validation score. Trees give many rows exactly that score, and
    /// an ONNX sum a rounding step away would flip them; halfway to the next lower distinct score classifies the
    /// validation rows identically and keeps every score well clear of the boundary.
    /// </summary>
    private static double BelowChosenScore(double[] scores, double chosen)
    {
        var below = double.NegativeInfinity;
        foreach (var score in scores)
        {
            if (score < chosen && score > below)
            {
                below = score;
            }
        }

        return double.IsNegativeInfinity(below) ? chosen : below + ((chosen - below) / 2);
    }

    private sealed class Progress(ITrainingReporter reporter, int maxIterations) : IProgress<IterationMetrics>
    {
        public void Report(IterationMetrics value) => reporter.Iteration(value, maxIterations);
    }
}
