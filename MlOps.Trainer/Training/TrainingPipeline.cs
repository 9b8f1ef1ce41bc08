using System.Diagnostics;
using System.Globalization;
using MlOps.Trainer.Devices;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Model;
using MlOps.Trainer.Onnx;

namespace MlOps.Trainer.Training;

/// <summary>
/// From a data file to a verified model folder: load (checking the DVC pointer), split, encode, train with early
/// stopping, choose the threshold on validation, refit on train + validation, evaluate on test, export ONNX, prove
/// parity, write atomically.
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
        var stages = new StageRunner(reporter);
        var writer = PrepareOutput();
        var data = DataPreparation.Prepare(request, stages, ct);
        return FitAndWrite(data, writer, stages, root, ct);
    }

    /// <summary>Trains, exports, verifies and writes from data already prepared (the best trial of <c>tune</c>).</summary>
    internal Task<TrainingOutcome> RunAsync(PreparedData data, CancellationToken ct) => Task.Run(() =>
    {
        using var root = TrainerTelemetry.ActivitySource.StartActivity("train");
        root?.SetTag("mlops.data.path", request.DataPath);
        return FitAndWrite(data, new ModelFolderWriter(request.OutputDirectory), new StageRunner(reporter), root, ct);
    }, ct);

    /// <summary>
    /// Checks the output folder is writable before any work (a bad --output is bad input, found in a second, not
    /// after the whole training) and removes what a crashed trainer left there.
    /// </summary>
    internal ModelFolderWriter PrepareOutput()
    {
        var writer = new ModelFolderWriter(request.OutputDirectory);
        foreach (var note in writer.Prepare())
        {
            reporter.Info(note);
        }

        return writer;
    }

    private TrainingOutcome FitAndWrite(PreparedData data, ModelFolderWriter writer, StageRunner stages, Activity? root, CancellationToken ct)
    {
        root?.SetTag("mlops.data.md5", data.DataInfo.Md5);
        var device = DeviceSelector.Select(request.Device, gpu);
        reporter.Info($"device: {device.Device} ({device.Reason})");
        root?.SetTag("mlops.device", device.Device);
        using var fit = ModelFitter.Fit(data, request, device.Device, stages, ct);
        var final = fit.Final;

        var gbdt = LightGbmModelText.Parse(final.ModelText);
        var onnxFeatures = data.Encoder.Features.Select(f => new OnnxFeature(f.Name, f.IsCategorical, f.Categories)).ToArray();
        var exportSpec = new OnnxExportSpec(
            onnxFeatures,
            fit.Threshold.Threshold,
            request.ModelName,
            ProducerVersion,
            new Dictionary<string, string>
            {
                ["data_md5"] = data.DataInfo.Md5,
                ["label"] = request.LabelColumn,
                ["positive_value"] = data.Label.PositiveValue,
                ["threshold"] = fit.Threshold.Threshold.ToString("R", CultureInfo.InvariantCulture),
            });
        var onnxBytes = stages.Run("export", () => OnnxExporter.ToBytes(OnnxExporter.Export(gbdt, exportSpec)), b => $"{b.Length:N0} bytes");
        var (parity, onnxScores) = stages.Run("verify", () => VerifyParity(onnxBytes, onnxFeatures, data, fit.TestScores, fit.Threshold.Threshold),
            p => $"{p.Parity.Rows:N0} rows, max |Δp| {p.Parity.MaxAbsProbabilityDelta:E2}, label mismatches {p.Parity.LabelMismatches}");
        if (!parity.Passed)
        {
            throw new InvalidOperationException(
                $"ONNX parity check failed on the test split: max |Δprobability| {parity.MaxAbsProbabilityDelta:E3} (tolerance {parity.Tolerance:E0}), {parity.LabelMismatches} label mismatches. No model was written.");
        }

        var card = Card(data, fit, parity, device);
        var modelDirectory = stages.Run("write", () => writer.Write(new ModelFolderContents
        {
            Card = card,
            OnnxModel = onnxBytes,
            LightGbmModelText = final.ModelText,
            Features = data.Encoder.Features,
            Table = data.Table,
            TrainRows = data.Split.Train,
            TestLabels = data.Test.Labels,
            TestScores = fit.TestScores,
            FeatureImportance = final.Booster.FeatureImportance(gain: true, final.BestIteration),
            TestEvaluation = fit.TestEvaluation,
            Threshold = fit.Threshold,
        }), d => d);

        return new TrainingOutcome(modelDirectory, card, fit.EarlyStopped.History)
        {
            HeldOut = new HeldOutRows(data.Table, data.Split.Test, data.Test.Labels, onnxScores, data.Label.PositiveValue),
        };
    }

    private static string ProducerVersion =>
        typeof(TrainingPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private ModelCard Card(PreparedData data, FitResult fit, ParityInfo parity, DeviceDecision device)
    {
        var h = request.Config.LightGbm;
        var parameters = ParameterMap(fit.Final.Parameters with { NumIterations = fit.Parameters.NumIterations, EarlyStoppingRounds = h.EarlyStoppingRounds });
        parameters["early_stopping_rounds"] = h.EarlyStoppingRounds.ToString(CultureInfo.InvariantCulture);
        parameters["early_stopping_metric"] = fit.Parameters.EarlyStoppingMetric == EarlyStoppingMetric.PrAuc ? "pr_auc" : "log_loss";
        parameters["class_weight"] = h.ScalePosWeight is null ? h.ClassWeight.ToString().ToLowerInvariant() : "scale_pos_weight";
        parameters["refit"] = request.Config.Refit.ToString().ToLowerInvariant();
        var testEval = fit.TestEvaluation;
        return new ModelCard
        {
            ModelName = request.ModelName,
            ModelUuid = Guid.NewGuid().ToString("N"),
            CreatedUtc = DateTime.UtcNow,
            Data = data.DataInfo,
            Label = request.LabelColumn,
            PositiveValue = data.Label.PositiveValue,
            Features = [.. data.Encoder.Features.Select(f => new CardFeature(f.Name, f.IsCategorical ? "categorical" : "numeric", f.IsCategorical ? f.Categories : null))],
            ExcludedColumns = [.. data.Selection.Excluded.Select(e => new ExcludedFeature(e.Name, e.Reason))],
            Split = new SplitInfo(data.Split.Method, data.Split.Train.Length, data.Split.Validation.Length, data.Split.Test.Length, (int)data.Train.Labels.Sum(), request.Seed),
            Threshold = new ThresholdInfo(fit.Threshold.Threshold, fit.Threshold.Strategy, fit.Threshold.Reason),
            TestMetrics = MetricsOf(testEval),
            ValidationMetrics = MetricsOf(fit.ValidationEvaluation),
            ConfusionMatrix = new ConfusionInfo(testEval.ConfusionMatrix.TruePositives, testEval.ConfusionMatrix.FalsePositives, testEval.ConfusionMatrix.TrueNegatives, testEval.ConfusionMatrix.FalseNegatives),
            Parameters = parameters,
            BestIteration = fit.Final.BestIteration,
            Boosting = new BoostingInfo(
                h.EarlyStoppingRounds, fit.EarlyStopped.IterationsRun, fit.EarlyStopped.BestIteration, fit.Final.BestIteration,
                fit.Refitted is not null, fit.Refitted is null ? data.Train.Rows : data.Train.Rows + data.Validation.Rows,
                parameters["class_weight"], fit.Parameters.ScalePositiveWeight ?? 1.0),
            Parity = parity,
            Training = new TrainingInfo(fit.TrainSeconds, data.Train.Rows / Math.Max(fit.TrainSeconds, 1e-9), device.Device, device.Reason, fit.Parameters.NumThreads, data.LoadSeconds),
            Environment = EnvironmentProbe.Capture(Path.GetDirectoryName(Path.GetFullPath(request.DataPath))),
        };
    }

    private (ParityInfo Parity, float[] OnnxProbabilities) VerifyParity(byte[] onnx, OnnxFeature[] features, PreparedData data, double[] lightGbmScores, double threshold)
    {
        var testRows = data.Split.Test;
        var (numeric, categorical) = data.Encoder.RawInputs(data.Table, testRows);
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

        return (new ParityInfo(testRows.Length, maxDelta, mismatches, request.ParityTolerance,
            maxDelta <= request.ParityTolerance && mismatches == 0), probabilities);
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
}
