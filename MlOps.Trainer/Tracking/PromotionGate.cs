using System.Globalization;
using MlOps.Mlflow;
using MlOps.Trainer.Evaluation;
using MlOps.Trainer.Onnx;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Tracking;

/// <summary>How sure the gate must be before a new version replaces production.</summary>
/// <param name="MinGain">The PR-AUC gain over production the whole interval must reach (negative: that much worse is fine).</param>
/// <param name="Confidence">The level of the paired bootstrap interval of the gain.</param>
internal sealed record PromotionSettings(double MinGain = 0.0, double Confidence = 0.95);

/// <summary>
/// Registers a run's model as a new version and decides its alias. Both the candidate and the current production
/// model (its model.onnx from the registry) score the candidate's test split, rows neither was tuned on by this
/// run; the candidate becomes <c>production</c> only when the paired bootstrap interval of its PR-AUC gain lies at
/// or above the minimum gain (or nothing is in production), else <c>challenger</c>. A production model that cannot
/// score these rows (other columns, another label) is compared by its recorded test PR-AUC instead, and the
/// version says so. Every figure, the interval and the decision are tags on the version.
/// </summary>
internal sealed class PromotionGate(MlflowClient client, string modelName, PromotionSettings settings)
{
    public const string ProductionAlias = "production";
    public const string ChallengerAlias = "challenger";
    public const string PrAucMetric = "test_pr_auc";
    public const string PairedMethod = "paired_bootstrap";
    public const string RecordedMethod = "recorded_test_pr_auc";

    public async Task<PromotionDecision> RegisterAsync(string runId, TrainingOutcome outcome, ulong seed, CancellationToken ct)
    {
        await EnsureRegisteredModelAsync(ct).ConfigureAwait(false);
        var candidate = outcome.Card.TestMetrics["pr_auc"];
        var production = await ProductionAsync(ct).ConfigureAwait(false);
        var verdict = production is null
            ? new Verdict(true, "none", candidate, null, null, "nothing was in production")
            : await JudgeAsync(production.Value, outcome, seed, ct).ConfigureAwait(false);

        var version = await client.CreateModelVersionAsync(modelName, $"runs:/{runId}/model", runId, cancellationToken: ct).ConfigureAwait(false);
        var decision = new PromotionDecision(modelName, version.Version, verdict.Promote ? ProductionAlias : ChallengerAlias,
            verdict.Method, verdict.Candidate, verdict.Production, production?.Version, verdict.Comparison, settings, verdict.Reason);
        await client.SetRegisteredModelAliasAsync(modelName, decision.Alias, version.Version, ct).ConfigureAwait(false);
        foreach (var (key, value) in decision.Tags())
        {
            await client.SetModelVersionTagAsync(modelName, version.Version, key, value, ct).ConfigureAwait(false);
        }

        return decision;
    }

    private async Task<Verdict> JudgeAsync((string Version, string? RunId) production, TrainingOutcome outcome, ulong seed, CancellationToken ct)
    {
        var (scores, problem) = outcome.HeldOut is { } heldOut
            ? await ScoreProductionAsync(production.Version, heldOut, ct).ConfigureAwait(false)
            : (null, "the new model's test rows are not available");
        if (scores is not null)
        {
            var comparison = PairedBootstrap.Compare(outcome.HeldOut!.Labels, outcome.HeldOut.CandidateScores, scores, settings.Confidence, seed);
            var promote = comparison.Low >= settings.MinGain;
            var interval = Format(comparison);
            return new Verdict(promote, PairedMethod, comparison.Candidate, comparison.Baseline, comparison, promote
                ? $"the {comparison.Confidence:P0} interval of the PR-AUC gain {interval} is at or above the minimum gain {settings.MinGain:+0.0###;-0.0###;0}"
                : $"the {comparison.Confidence:P0} interval of the PR-AUC gain {interval} reaches below the minimum gain {settings.MinGain:+0.0###;-0.0###;0}: not clearly better than version {production.Version}");
        }

        // Not comparable on the same rows: the best left is each model's own test figure.
        var recorded = await RecordedPrAucAsync(production.RunId, ct).ConfigureAwait(false);
        var candidate = outcome.Card.TestMetrics["pr_auc"];
        var better = recorded is not { } r || candidate >= r + settings.MinGain;
        return new Verdict(better, RecordedMethod, candidate, recorded, null,
            $"version {production.Version} cannot score the new test rows ({problem}), so the recorded test PR-AUCs were compared");
    }

    private async Task<(float[]? Scores, string? Problem)> ScoreProductionAsync(string version, HeldOutRows heldOut, CancellationToken ct)
    {
        var cache = Path.Combine(Path.GetTempPath(), $"mlops-trainer-gate-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var resolved = await new ModelResolver(client).ResolveAsync($"models:/{modelName}/{version}", cache, ct).ConfigureAwait(false);
            var onnx = Path.Combine(resolved.LocalPath, ModelResolver.OnnxFileName);
            if (!File.Exists(onnx))
            {
                return (null, "it has no model.onnx");
            }

            using var scorer = OnnxScorer.FromModelInputs(await File.ReadAllBytesAsync(onnx, ct).ConfigureAwait(false));
            if (scorer.Metadata.TryGetValue("positive_value", out var positive) && positive != heldOut.PositiveValue)
            {
                return (null, $"it predicts label value '{positive}', the new model '{heldOut.PositiveValue}'");
            }

            var inputs = ModelInputs.From(heldOut.Table, heldOut.Rows, scorer.Features, out var problem);
            return inputs is { } i ? (scorer.Score(i.Numeric, i.Categorical, heldOut.Rows.Length).Probabilities, null) : (null, problem);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException)
        {
            return (null, Cli.TrainerCli.OneLine(e.Message));
        }
        finally
        {
            FolderSwap.TryDelete(cache);
        }
    }

    private async Task EnsureRegisteredModelAsync(CancellationToken ct)
    {
        try
        {
            await client.CreateRegisteredModelAsync(modelName, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.ErrorCode == KnownMlflowErrorCodes.ResourceAlreadyExists)
        {
            // Every training after the first lands here.
        }
    }

    private async Task<(string Version, string? RunId)?> ProductionAsync(CancellationToken ct)
    {
        try
        {
            var current = await client.GetModelVersionByAliasAsync(modelName, ProductionAlias, ct).ConfigureAwait(false);
            return (current.Version, string.IsNullOrEmpty(current.RunId) ? null : current.RunId);
        }
        catch (MlflowException e) when (e.ErrorCode is KnownMlflowErrorCodes.InvalidParameterValue or KnownMlflowErrorCodes.ResourceDoesNotExist)
        {
            // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE: nothing is in production yet.
            return null;
        }
    }

    private async Task<double?> RecordedPrAucAsync(string? runId, CancellationToken ct)
    {
        if (runId is null)
        {
            return null;
        }

        var run = await client.GetRunAsync(runId, ct).ConfigureAwait(false);
        return run.Data.Metrics.FirstOrDefault(m => m.Key == PrAucMetric)?.Value;
    }

    private static string Format(PairedComparison c) =>
        string.Create(CultureInfo.InvariantCulture, $"[{c.Low:+0.0000;-0.0000}, {c.High:+0.0000;-0.0000}]");

    private sealed record Verdict(bool Promote, string Method, double Candidate, double? Production, PairedComparison? Comparison, string Reason);
}
