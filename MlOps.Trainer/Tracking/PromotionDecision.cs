using System.Globalization;
using MlOps.Trainer.Evaluation;

namespace MlOps.Trainer.Tracking;

/// <summary>The outcome of the promotion gate for one new model version, with every figure it was based on.</summary>
internal sealed record PromotionDecision(
    string ModelName,
    string Version,
    string Alias,
    string Method,
    double CandidatePrAuc,
    double? ProductionPrAuc,
    string? ProductionVersion,
    PairedComparison? Comparison,
    PromotionSettings Settings,
    string Reason)
{
    public string Describe() => ProductionVersion is null
        ? string.Create(CultureInfo.InvariantCulture,
            $"{ModelName} version {Version} is {Alias}: test PR-AUC {CandidatePrAuc:F4}, no production version yet")
        : string.Create(CultureInfo.InvariantCulture,
            $"{ModelName} version {Version} is {Alias}: PR-AUC {CandidatePrAuc:F4} vs production version {ProductionVersion} {ProductionPrAuc:F4} on the same test rows; {Reason}");

    /// <summary>The model version's tags (<c>mlops.promotion.*</c>).</summary>
    public IEnumerable<(string Key, string Value)> Tags()
    {
        yield return ("mlops.promotion.decision", Alias);
        yield return ("mlops.promotion.method", Method);
        yield return ("mlops.promotion.reason", Reason);
        yield return ("mlops.promotion.candidate_pr_auc", Format(CandidatePrAuc));
        yield return ("mlops.promotion.production_pr_auc", ProductionPrAuc is { } p ? Format(p) : "none");
        yield return ("mlops.promotion.production_version", ProductionVersion ?? "none");
        yield return ("mlops.promotion.min_gain", Format(Settings.MinGain));
        yield return ("mlops.promotion.confidence", Format(Settings.Confidence));
        if (Comparison is { } c)
        {
            yield return ("mlops.promotion.gain", Format(c.Gain));
            yield return ("mlops.promotion.gain_ci_low", Format(c.Low));
            yield return ("mlops.promotion.gain_ci_high", Format(c.High));
            yield return ("mlops.promotion.bootstrap_resamples", c.Resamples.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The same figures as metrics of the run, for the tracking UI's charts and comparisons.</summary>
    public IEnumerable<(string Key, double Value)> Metrics()
    {
        yield return ("promotion_candidate_pr_auc", CandidatePrAuc);
        if (ProductionPrAuc is { } p)
        {
            yield return ("promotion_production_pr_auc", p);
        }

        if (Comparison is { } c)
        {
            yield return ("promotion_gain_ci_low", c.Low);
            yield return ("promotion_gain_ci_high", c.High);
        }

        yield return ("promotion_promoted", Alias == PromotionGate.ProductionAlias ? 1 : 0);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
