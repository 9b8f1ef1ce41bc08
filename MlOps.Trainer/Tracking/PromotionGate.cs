using System.Globalization;
using MlOps.Mlflow;

namespace MlOps.Trainer.Tracking;

/// <summary>The outcome of the champion/challenger gate for one new model version.</summary>
internal sealed record PromotionDecision(string ModelName, string Version, string Alias, double CandidatePrAuc, double? ProductionPrAuc, string? ProductionVersion)
{
    public string Describe() => ProductionPrAuc is { } production
        ? string.Create(CultureInfo.InvariantCulture,
            $"{ModelName} version {Version} is {Alias}: test PR-AUC {CandidatePrAuc:F4} vs production version {ProductionVersion} {production:F4}")
        : string.Create(CultureInfo.InvariantCulture,
            $"{ModelName} version {Version} is {Alias}: test PR-AUC {CandidatePrAuc:F4}, no production version yet");
}

/// <summary>
/// Registers a run's model as a new version and decides its alias: <c>production</c> when its test PR-AUC is at
/// least production's plus the margin (or nothing is in production), else <c>challenger</c>. The decision and both
/// figures are tagged on the version.
/// </summary>
internal sealed class PromotionGate(MlflowClient client, string modelName, double margin)
{
    public const string ProductionAlias = "production";
    public const string ChallengerAlias = "challenger";
    public const string PrAucMetric = "test_pr_auc";

    public async Task<PromotionDecision> RegisterAsync(string runId, double candidatePrAuc, CancellationToken ct)
    {
        await EnsureRegisteredModelAsync(ct).ConfigureAwait(false);
        var version = await client.CreateModelVersionAsync(modelName, $"runs:/{runId}/model", runId, cancellationToken: ct).ConfigureAwait(false);
        var production = await ProductionAsync(ct).ConfigureAwait(false);
        var promote = production is not { PrAuc: { } current } || candidatePrAuc >= current + margin;
        var decision = new PromotionDecision(modelName, version.Version, promote ? ProductionAlias : ChallengerAlias,
            candidatePrAuc, production?.PrAuc, production?.Version);

        await client.SetRegisteredModelAliasAsync(modelName, decision.Alias, version.Version, ct).ConfigureAwait(false);
        await TagAsync(version.Version, "mlops.promotion.decision", decision.Alias, ct).ConfigureAwait(false);
        await TagAsync(version.Version, "mlops.promotion.candidate_pr_auc", Format(candidatePrAuc), ct).ConfigureAwait(false);
        await TagAsync(version.Version, "mlops.promotion.production_pr_auc", production?.PrAuc is { } p ? Format(p) : "none", ct).ConfigureAwait(false);
        await TagAsync(version.Version, "mlops.promotion.margin", Format(margin), ct).ConfigureAwait(false);
        return decision;
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

    private async Task<(string Version, double? PrAuc)?> ProductionAsync(CancellationToken ct)
    {
        ModelVersion current;
        try
        {
            current = await client.GetModelVersionByAliasAsync(modelName, ProductionAlias, ct).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.ErrorCode is KnownMlflowErrorCodes.InvalidParameterValue or KnownMlflowErrorCodes.ResourceDoesNotExist)
        {
            // MLflow answers an unknown alias with INVALID_PARAMETER_VALUE: nothing is in production yet.
            return null;
        }

        if (string.IsNullOrEmpty(current.RunId))
        {
            return (current.Version, null);
        }

        var run = await client.GetRunAsync(current.RunId, ct).ConfigureAwait(false);
        var metric = run.Data.Metrics.FirstOrDefault(m => m.Key == PrAucMetric);
        return (current.Version, metric?.Value);
    }

    private Task TagAsync(string version, string key, string value, CancellationToken ct) =>
        client.SetModelVersionTagAsync(modelName, version, key, value, ct);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
