namespace MlOps.Serving.Monitoring.Quality;

/// <summary>
/// Live quality from feedback (<c>GET /monitoring/quality</c>): per model version that answered within the window,
/// and per challenger scored beside it, how many predictions were made and labelled, and precision, recall and
/// PR-AUC on the labelled ones. <c>off</c> without a prediction log.
/// </summary>
public sealed record QualitySnapshot(string Status, string? Reason, TimeSpan Window, DateTimeOffset? ComputedAt, IReadOnlyList<ModelQuality> Models)
{
    public static QualitySnapshot Off(string reason, TimeSpan window) => new("off", reason, window, null, []);
}

/// <summary>One model version's figures; <see cref="Role"/> is <c>production</c> or <c>challenger</c>.</summary>
public sealed record ModelQuality(
    string Role,
    string Version,
    string? ProductionVersion,
    long Predictions,
    long Labeled,
    long Positives,
    double? LabelRate,
    double? Precision,
    double? Recall,
    double? PrAuc);
