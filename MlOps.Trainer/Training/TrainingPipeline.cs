using System.Diagnostics;
using System.Globalization;
using MlOps.Trainer.Data;
using MlOps.Trainer.Devices;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Model;
using MlOps.Trainer.Onnx;
using MlOps.Trainer.Versioning;

namespace MlOps.Trainer.Training;

/// <summary>
/// From a data file to a verified model folder: load (checking the DVC pointer), split, encode, train with early
/// stopping, choose the threshold on validation, evaluate on test, export ONNX, prove parity, write atomically.
/// Each stage is a span under one <c>train</c> trace.
/// </summary>
public sealed class TrainingPipeline(TrainingRequest request, ITrainingReporter reporter, IGpuEnvironment gpu)
{
    public Task<TrainingOutcome> RunAsync(CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(cancellationToken), cancellationToken);

    private TrainingOutcome Run(CancellationToken ct)
    {
        using var root = TrainerTelemetry.ActivitySource.StartActivity("train");
        root?.SetTag("mlops.data.path", request.DataPath);
        root?.SetTag("mlops.label", request.LabelColumn);
        try
        {
            return RunStages(root, ct);
        }
        catch (Exception ex)
        {
            root?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private TrainingOutcome RunStages(Activity? root, CancellationToken ct)
    {
        var config = request.Config;
        var loadClock = Stopwatch.StartNew();
        var (table, dataInfo) = Stage("load", () => Load(ct), r => $"{r.Item1.RowCount:N0} rows, {r.Item1.Columns.Count} columns, md5 {r.Item2.Md5}");
        var loadSeconds = loadClock.Elapsed.TotalSeconds;
        root?.SetTag("mlops.data.md5", dataInfo.Md5);

        var label = LabelResolver.Resolve(table, request.LabelColumn, request.PositiveValue);
        var selection = FeatureSelector.Select(table, request.LabelColumn, new FeatureSelectionOptions
        {
            Include = config.Features.Include,
            Exclude = config.Features.Exclude,
            Categorical = config.Features.Categorical,
            MaxCategories = config.Features.MaxCategories,
        });
        foreach (var excluded in selection.Excluded.Where(e => e.Reason != "label"))
        {
            reporter.Info($"column '{excluded.Name}' is not a feature: {excluded.Reason}");
        }

        var split = Stage("split", () => Split(table, label), s => $"{s.Method}: train {s.Train.Length:N0}, validation {s.Validation.Length:N0}, test {s.Test.Length:N0}");
        var encoder = FeatureEncoder.Fit(table, selection.Features, split.Train);
        var train = Matrix(table, label, encoder, split.Train);
        var validation = Matrix(table, label, encoder, split.Validation);
        var test = Matrix(table, label, encoder, split.Test);

        var device = DeviceSelector.Select(request.Device, gpu);
        reporter.Info($"device: {device.Device} ({device.Reason})");
        root?.SetTag("mlops.device", device.Device);
        var parameters = Parameters(train, device.Device);

        var trainClock = Stopwatch.StartNew();
        using var trained = Stage("train", () => GradientBoostingTrainer.Train(train, validation, parameters, new Progress(reporter, parameters.NumIterations), ct),
            r => $"best iteration {r.BestIteration} of {r.History.Count}");
        var trainSeconds = trainClock.Elapsed.TotalSeconds;
        TrainerTelemetry.RowsTrained.Add(train.Rows);

        var (threshold, validationEval, testEval, testScores) = Stage("evaluate", () => Evaluate(trained, validation, test, config.Threshold),
            r => $"test ROC-AUC {r.Item3.RocAuc:F4}, PR-AUC {r.Item3.AveragePrecision:F4}, threshold {r.Item1.Threshold:F4}");

        var gbdt = LightGbmModelText.Parse(trained.ModelText);
        var onnxFeatures = encoder.Features.Select(f => new OnnxFeature(f.Name, f.IsCategorical, f.Categories)).ToArray();
        var exportSpec = new OnnxExportSpec(
            onnxFeatures,
            threshold.Threshold,
            request.ModelName,
            ProducerVersion,
            new Dictionary<string, string>
            {
                ["data_md5"] = dataInfo.Md5,
                ["label"] = request.LabelColumn,
                ["positive_value"] = label.PositiveValue,
                ["threshold"] = threshold.Threshold.ToString("R", CultureInfo.InvariantCulture),
            });
        var onnxBytes = Stage("export", () => OnnxExporter.ToBytes(OnnxExporter.Export(gbdt, exportSpec)), b => $"{b.Length:N0} bytes");
        var parity = Stage("verify", () => VerifyParity(onnxBytes, onnxFeatures, encoder, table, split.Test, testScores, threshold.Threshold),
            p => $"{p.Rows:N0} rows, max |Δp| {p.MaxAbsProbabilityDelta:E2}, label mismatches {p.LabelMismatches}");
        if (!parity.Passed)
        {
            throw new InvalidOperationException(
                $"ONNX parity check failed on the test split: max |Δprobability| {parity.MaxAbsProbabilityDelta:E3} (tolerance {parity.Tolerance:E0}), {parity.LabelMismatches} label mismatches. No model was written.");
        }

        var card = new ModelCard
        {
            ModelName = request.ModelName,
            ModelUuid = Guid.NewGuid().ToString("N"),
            CreatedUtc = DateTime.UtcNow,
            Data = dataInfo,
            Label = request.LabelColumn,
            PositiveValue = label.PositiveValue,
            Features = [.. encoder.Features.Select(f => new CardFeature(f.Name, f.IsCategorical ? "categorical" : "numeric", f.IsCategorical ? f.Categories : null))],
            ExcludedColumns = [.. selection.Excluded.Select(e => new ExcludedFeature(e.Name, e.Reason))],
            Split = new SplitInfo(split.Method, split.Train.Length, split.Validation.Length, split.Test.Length, (int)train.Labels.Sum(), request.Seed),
            Threshold = new ThresholdInfo(threshold.Threshold, threshold.Strategy, threshold.Reason),
            TestMetrics = MetricsOf(testEval),
            ValidationMetrics = MetricsOf(validationEval),
            ConfusionMatrix = new ConfusionInfo(testEval.ConfusionMatrix.TruePositives, testEval.ConfusionMatrix.FalsePositives, testEval.ConfusionMatrix.TrueNegatives, testEval.ConfusionMatrix.FalseNegatives),
            Parameters = ParameterMap(parameters),
            BestIteration = trained.BestIteration,
            Parity = parity,
            Training = new TrainingInfo(trainSeconds, train.Rows / Math.Max(trainSeconds, 1e-9), device.Device, device.Reason, parameters.NumThreads, loadSeconds),
            Environment = EnvironmentProbe.Capture(Path.GetDirectoryName(Path.GetFullPath(request.DataPath))),
        };

        var modelDirectory = Stage("write", () => new ModelFolderWriter(request.OutputDirectory).Write(new ModelFolderContents
        {
            Card = card,
            OnnxModel = onnxBytes,
            LightGbmModelText = trained.ModelText,
            Features = encoder.Features,
            Table = table,
            TrainRows = split.Train,
            TestLabels = test.Labels,
            TestScores = testScores,
            FeatureImportance = trained.Booster.FeatureImportance(gain: true, trained.BestIteration),
            TestEvaluation = testEval,
            Threshold = threshold,
        }), d => d);

        return new TrainingOutcome(modelDirectory, card, trained.History);
    }

    private static string ProducerVersion =>
        typeof(TrainingPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private (DataTable, DataInfo) Load(CancellationToken ct)
    {
        var path = request.DataPath;
        if (!File.Exists(path))
        {
            throw new BadInputException($"{path}: data file not found.");
        }

        string? pointerFile = null;
        string md5;
        var verification = DataVersioning.Verify(path);
        switch (verification.Status)
        {
            case VerificationStatus.Match:
                pointerFile = path + ".dvc";
                md5 = verification.ActualMd5 ?? DataVersioning.Md5Of(path);
                break;
            case VerificationStatus.Mismatch when request.AllowDataMismatch:
                reporter.Warning($"{verification.Message} Training anyway (--allow-data-mismatch); the data version recorded is the actual md5.");
                pointerFile = path + ".dvc";
                md5 = verification.ActualMd5 ?? DataVersioning.Md5Of(path);
                break;
            case VerificationStatus.Mismatch:
                throw new BadInputException($"{verification.Message} Run 'data add {path}' to record the new version, or pass --allow-data-mismatch.");
            default:
                md5 = DataVersioning.Md5Of(path);
                break;
        }

        var table = TableReader.Read(path, ct);
        var info = new DataInfo(Path.GetFileName(path), md5, new FileInfo(path).Length, table.RowCount, table.Columns.Count,
            pointerFile is null ? null : Path.GetFileName(pointerFile), Path.GetExtension(path).TrimStart('.').ToLowerInvariant());
        return (table, info);
    }

    private DatasetSplit Split(DataTable table, ResolvedLabel label)
    {
        var split = request.Config.Split;
        var result = split.TimestampColumn is { } column
            ? DatasetSplit.ByTime(table, column, split.Validation, split.Test)
            : DatasetSplit.Stratified(label.Labels, split.Validation, split.Test, request.Seed);
        foreach (var (name, rows) in new[] { ("train", result.Train), ("validation", result.Validation), ("test", result.Test) })
        {
            var positives = rows.Count(r => label.Labels[r] > 0.5f);
            if (positives == 0 || positives == rows.Length)
            {
                throw new BadInputException($"the {name} split ({rows.Length} rows) has only one class; use more data or another split.");
            }
        }

        return result;
    }

    private static TrainingMatrix Matrix(DataTable table, ResolvedLabel label, FeatureEncoder encoder, int[] rows) =>
        new(encoder.Encode(table, rows), rows.Length, encoder.Features.Count, [.. rows.Select(r => label.Labels[r])], encoder.CategoricalIndices);

    private LightGbmParameters Parameters(TrainingMatrix train, string device)
    {
        var h = request.Config.LightGbm;
        var positives = train.Labels.Count(l => l > 0.5f);
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
            LambdaL2 = h.LambdaL2,
            MaxBin = h.MaxBin,
            EarlyStoppingRounds = h.EarlyStoppingRounds,
            // Fraud is rare: weigh positives up, but only by the square root so probabilities stay usable.
            ScalePositiveWeight = h.ScalePosWeight ?? Math.Sqrt((double)(train.Rows - positives) / Math.Max(positives, 1)),
            Seed = request.Seed,
            NumThreads = h.NumThreads > 0 ? h.NumThreads : Environment.ProcessorCount,
            Device = device,
        };
    }

    private static (ThresholdChoice, BinaryEvaluation, BinaryEvaluation, double[]) Evaluate(
        TrainingResult trained, TrainingMatrix validation, TrainingMatrix test, ThresholdConfig thresholdConfig)
    {
        var validationScores = trained.Booster.Predict(validation.ColumnMajor, validation.Rows, validation.Columns, numIteration: trained.BestIteration);
        var choice = thresholdConfig.MinPrecision is { } minPrecision
            ? ThresholdSelector.MinPrecision(validation.Labels, validationScores, minPrecision)
            : ThresholdSelector.MaxF1(validation.Labels, validationScores);
        choice = choice with { Threshold = BelowChosenScore(validationScores, choice.Threshold) };
        var testScores = trained.Booster.Predict(test.ColumnMajor, test.Rows, test.Columns, numIteration: trained.BestIteration);
        return (choice,
            BinaryMetrics.Compute(validation.Labels, validationScores, choice.Threshold),
            BinaryMetrics.Compute(test.Labels, testScores, choice.Threshold),
            testScores);
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

    private ParityInfo VerifyParity(byte[] onnx, OnnxFeature[] features, FeatureEncoder encoder, DataTable table, int[] testRows, double[] lightGbmScores, double threshold)
    {
        var (numeric, categorical) = encoder.RawInputs(table, testRows);
        using var scorer = new OnnxScorer(onnx, features);
        var (labels, probabilities, _) = scorer.Score(numeric, categorical, testRows.Length);
        var maxDelta = 0.0;
        var mismatches = 0;
        for (var i = 0; i < testRows.Length; i++)
        {
            maxDelta = Math.Max(maxDelta, Math.Abs(probabilities[i] - lightGbmScores[i]));
            if (labels[i] != (lightGbmScores[i] >= threshold ? 1 : 0))
            {
                mismatches++;
            }
        }

        return new ParityInfo(testRows.Length, maxDelta, mismatches, request.ParityTolerance,
            maxDelta <= request.ParityTolerance && mismatches == 0);
    }

    private static Dictionary<string, double> MetricsOf(BinaryEvaluation e) => new()
    {
        ["roc_auc"] = e.RocAuc,
        ["pr_auc"] = e.AveragePrecision,
        ["log_loss"] = e.LogLoss,
        ["precision"] = e.Precision,
        ["recall"] = e.Recall,
        ["f1"] = e.F1,
        ["accuracy"] = e.Accuracy,
    };

    private static Dictionary<string, string> ParameterMap(LightGbmParameters p) =>
        p.ToParameterString([]).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    private T Stage<T>(string name, Func<T> work, Func<T, string>? summary = null)
    {
        using var activity = TrainerTelemetry.ActivitySource.StartActivity($"trainer.{name}");
        reporter.StageStarted(name);
        var clock = Stopwatch.StartNew();
        try
        {
            var result = work();
            TrainerTelemetry.StageDuration.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", name));
            reporter.StageCompleted(name, clock.Elapsed, summary?.Invoke(result));
            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private sealed class Progress(ITrainingReporter reporter, int maxIterations) : IProgress<IterationMetrics>
    {
        public void Report(IterationMetrics value) => reporter.Iteration(value, maxIterations);
    }
}
