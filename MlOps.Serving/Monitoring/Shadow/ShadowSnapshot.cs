namespace MlOps.Serving.Monitoring.Shadow;

/// <summary>
/// The shadow's state (<c>GET /monitoring/shadow</c>): <c>off</c> or <c>waiting</c> (no challenger loaded, or one
/// whose inputs production's requests do not carry) with the reason, else <c>on</c> with the agreement rate of the
/// labels and the PSI of the challenger's scores against production's over the window.
/// </summary>
public sealed record ShadowSnapshot(
    string Status,
    string? Reason,
    string? ProductionVersion,
    string? ChallengerVersion,
    int WindowRows,
    int WindowSize,
    double? Agreement,
    double? ScorePsi,
    long RowsScored,
    DateTimeOffset? ComputedAt);
