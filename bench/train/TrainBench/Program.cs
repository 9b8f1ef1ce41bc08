using System.Diagnostics;
using MlOps.Trainer.Data;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Training;

// bench/train: load, fit and score exactly as the trainer does, with the baseline's hyperparameters.
var (trainPath, holdoutPath) = (args[0], args[1]);

var clock = Stopwatch.StartNew();
var train = TableReader.Read(trainPath);
var holdout = TableReader.Read(holdoutPath);
var loadSeconds = clock.Elapsed.TotalSeconds;

var trainLabels = LabelResolver.Resolve(train, "is_fraud", "1").Labels;
var holdoutLabels = LabelResolver.Resolve(holdout, "is_fraud", "1").Labels;
var features = FeatureSelector.Select(train, "is_fraud", new FeatureSelectionOptions()).Features;
var all = Enumerable.Range(0, train.RowCount).ToArray();
var encoder = FeatureEncoder.Fit(train, features, all);
var trainMatrix = new TrainingMatrix(encoder.Encode(train, all), train.RowCount, features.Count, trainLabels, encoder.CategoricalIndices);
// A small validation slice only feeds the per-iteration log; early stopping is off, as in the baseline.
var validRows = Enumerable.Range(0, Math.Min(20_000, holdout.RowCount)).ToArray();
var validMatrix = new TrainingMatrix(encoder.Encode(holdout, validRows), validRows.Length, features.Count,
    [.. validRows.Select(r => holdoutLabels[r])], encoder.CategoricalIndices);

var parameters = new LightGbmParameters
{
    NumIterations = 200,
    NumLeaves = 15,
    LearningRate = 0.05,
    EarlyStoppingRounds = 0,
    NumThreads = Environment.ProcessorCount,
    ScalePositiveWeight = 1.0,
};

clock.Restart();
using var result = GradientBoostingTrainer.Train(trainMatrix, validMatrix, parameters, null, CancellationToken.None);
var fitSeconds = clock.Elapsed.TotalSeconds;

var holdoutRows = Enumerable.Range(0, holdout.RowCount).ToArray();
var scores = result.Booster.Predict(encoder.Encode(holdout, holdoutRows), holdout.RowCount, features.Count, numIteration: result.BestIteration);
var metrics = BinaryMetrics.Compute(holdoutLabels, scores, 0.5);
Console.WriteLine(FormattableString.Invariant(
    $"mlops-lgbm   load_s={loadSeconds:F2} fit_s={fitSeconds:F2} rows_per_s={train.RowCount / fitSeconds:N0} roc_auc={metrics.RocAuc:F4} pr_auc={metrics.AveragePrecision:F4}"));
