using System.Globalization;

namespace MlOps.Trainer.LightGbm;

/// <summary>A dense matrix for training: values column after column (NaN = missing), 0/1 labels, categorical column indices.</summary>
public sealed record TrainingMatrix(
    double[] ColumnMajor, int Rows, int Columns, float[] Labels, IReadOnlyList<int> CategoricalFeatures);

/// <summary>Metrics after one boosting iteration (1-based).</summary>
public sealed record IterationMetrics(
    int Iteration, double ValidationLogLoss, double ValidationAuc, double ValidationAveragePrecision);

/// <summary>
/// The outcome of <see cref="GradientBoostingTrainer.Train"/>. <see cref="Booster"/> is loaded from
/// <see cref="ModelText"/> (so it holds exactly <see cref="BestIteration"/> iterations and no training data) and is
/// owned by this result.
/// </summary>
public sealed class TrainingResult(
    LightGbmBooster booster,
    int bestIteration,
    int iterationsRun,
    IReadOnlyList<IterationMetrics> history,
    string modelText,
    LightGbmParameters parameters,
    string parameterString) : IDisposable
{
    public LightGbmBooster Booster { get; } = booster;

    /// <summary>
    /// The number of trees (iterations) kept: the iteration with the best validation average precision, or every
    /// iteration run when early stopping is off.
    /// </summary>
    public int BestIteration { get; } = bestIteration;

    /// <summary>Iterations trained before stopping (≥ <see cref="BestIteration"/>).</summary>
    public int IterationsRun { get; } = iterationsRun;

    public IReadOnlyList<IterationMetrics> History { get; } = history;

    /// <summary>LightGBM model text truncated to <see cref="BestIteration"/>.</summary>
    public string ModelText { get; } = modelText;

    /// <summary>The parameters used.</summary>
    public LightGbmParameters Parameters { get; } = parameters;

    public string ParameterString { get; } = parameterString;

    public IterationMetrics? BestMetrics => BestIteration >= 1 && BestIteration <= History.Count ? History[BestIteration - 1] : null;

    public void Dispose() => Booster.Dispose();
}

/// <summary>Trains a LightGBM binary classifier with early stopping on a validation set.</summary>
public static class GradientBoostingTrainer
{
    private const string LogLoss = "binary_logloss";

    /// <summary>
    /// Boosts up to <see cref="LightGbmParameters.NumIterations"/> iterations, evaluating the validation set after each
    /// one, and stops when <see cref="LightGbmParameters.EarlyStoppingMetric"/> has not improved for
    /// <see cref="LightGbmParameters.EarlyStoppingRounds"/> iterations, keeping the best iteration. With early stopping off (0) every iteration is kept.
    /// </summary>
    public static TrainingResult Train(
        TrainingMatrix train,
        TrainingMatrix validation,
        LightGbmParameters parameters,
        IProgress<IterationMetrics>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(parameters);
        if (validation.Columns != train.Columns)
        {
            throw new ArgumentException(
                $"Validation has {validation.Columns} columns, training {train.Columns}.", nameof(validation));
        }

        var effective = parameters;
        var parameterString = effective.ToParameterString(train.CategoricalFeatures);
        var threads = effective.ResolvedNumThreads;

        using var trainSet = LightGbmDataset.Create(train.ColumnMajor, train.Rows, train.Columns, train.Labels, parameterString);
        using var validationSet = LightGbmDataset.Create(
            validation.ColumnMajor, validation.Rows, validation.Columns, validation.Labels, parameterString, trainSet);
        using var booster = LightGbmBooster.Create(trainSet, parameterString, threads);
        booster.AddValidation(validationSet);

        var history = new List<IterationMetrics>();
        var bestIteration = 0;
        var bestScore = double.NegativeInfinity;
        // LightGBM evaluates only the log loss (cheap); AUC and PR-AUC sort the validation set, so they are computed
        // here every few iterations on large validation sets (every one when early stopping watches PR-AUC).
        var rankingEvery = effective.EarlyStoppingMetric == EarlyStoppingMetric.PrAuc ? 1 : Math.Clamp(validation.Rows / 5_000, 1, 25);
        for (var iteration = 1; iteration <= effective.NumIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (booster.UpdateOneIteration())
            {
                // No tree could split: LightGBM dropped this iteration, so the model stays as it was.
                break;
            }

            var logLoss = booster.GetEvaluation(1)[LogLoss];
            var (auc, precision) = iteration == 1 || iteration % rankingEvery == 0
                ? Ranking(validation.Labels, booster.GetPredictions(1))
                : (double.NaN, double.NaN);
            var metrics = new IterationMetrics(iteration, logLoss, auc, precision);
            history.Add(metrics);
            progress?.Report(metrics);

            var score = effective.EarlyStoppingMetric == EarlyStoppingMetric.PrAuc ? precision : -logLoss;
            if (score > bestScore)
            {
                bestScore = score;
                bestIteration = iteration;
            }
            else if (effective.EarlyStoppingRounds > 0 && iteration - bestIteration >= effective.EarlyStoppingRounds)
            {
                break;
            }
        }

        if (effective.EarlyStoppingRounds == 0 && history.Count > 0)
        {
            // Off means off: all N trees, not the best validation iteration.
            bestIteration = history.Count;
        }

        if (bestIteration == 0)
        {
            throw new LightGbmException(string.Create(CultureInfo.InvariantCulture,
                $"LightGBM could not grow a single tree on {train.Rows:N0} training rows: lower lightgbm.min_data_in_leaf ({effective.MinDataInLeaf}) or check that features and labels vary."));
        }

        var modelText = booster.SaveModelToString(bestIteration);
        var final = LightGbmBooster.LoadFromString(modelText, threads);
        if (double.IsNaN(history[bestIteration - 1].ValidationAveragePrecision))
        {
            // The kept iteration's ranking figures, when it fell between two evaluations.
            var (auc, precision) = Ranking(validation.Labels, final.Predict(validation.ColumnMajor, validation.Rows, validation.Columns));
            history[bestIteration - 1] = history[bestIteration - 1] with { ValidationAuc = auc, ValidationAveragePrecision = precision };
        }

        return new TrainingResult(final, bestIteration, history.Count, history, modelText, effective, parameterString);
    }

    private static (double Auc, double AveragePrecision) Ranking(float[] labels, double[] scores)
    {
        var evaluation = Evaluation.BinaryMetrics.Compute(labels, scores, 0.5);
        return (evaluation.RocAuc, evaluation.AveragePrecision);
    }

    /// <summary>
    /// Trains exactly <paramref name="iterations"/> iterations on <paramref name="data"/> with no validation set:
    /// the final model once early stopping has chosen the count on a held-out split. Reports each iteration done.
    /// </summary>
    public static TrainingResult Refit(
        TrainingMatrix data,
        LightGbmParameters parameters,
        int iterations,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var effective = parameters with { NumIterations = iterations, EarlyStoppingRounds = 0 };
        var parameterString = effective.ToParameterString(data.CategoricalFeatures);
        var threads = effective.ResolvedNumThreads;

        using var trainSet = LightGbmDataset.Create(data.ColumnMajor, data.Rows, data.Columns, data.Labels, parameterString);
        using var booster = LightGbmBooster.Create(trainSet, parameterString, threads);
        var done = 0;
        while (done < iterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (booster.UpdateOneIteration())
            {
                break;
            }

            done++;
            progress?.Report(done);
        }

        if (done == 0)
        {
            throw new LightGbmException("LightGBM could not grow a single tree on train + validation.");
        }

        var modelText = booster.SaveModelToString(done);
        var final = LightGbmBooster.LoadFromString(modelText, threads);
        return new TrainingResult(final, done, done, [], modelText, effective, parameterString);
    }
}
