namespace MlOps.Trainer.Tuning;

/// <summary>One finished (or failed, or cancelled) trial of a search.</summary>
/// <param name="Number">1-based.</param>
/// <param name="Values">The sampler's values (internal scale).</param>
/// <param name="Params">The values as config values.</param>
/// <param name="Objective">Validation PR-AUC of the early-stopped model; −∞ when the trial failed.</param>
/// <param name="ValidationLogLoss">Validation log loss at the chosen iteration.</param>
/// <param name="BestIteration">Trees kept by early stopping.</param>
/// <param name="Seconds">Wall time of the trial.</param>
/// <param name="Error">Why it failed, if it did.</param>
internal sealed record Trial(
    int Number,
    IReadOnlyDictionary<string, double> Values,
    IReadOnlyDictionary<string, string> Params,
    double Objective,
    double ValidationLogLoss,
    int BestIteration,
    double Seconds,
    string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>What a search left: its trials in order and the best one (null when none succeeded).</summary>
internal sealed record SearchResult(IReadOnlyList<Trial> Trials, Trial? Best, bool Cancelled, string? StopReason);
