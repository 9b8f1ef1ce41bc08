namespace MlOps.Serving.Monitoring.Drift;

/// <summary>
/// The drift table as last computed (<c>GET /monitoring/drift</c>): <c>off</c> (with the reason), <c>warming_up</c>
/// (fewer rows than <c>Monitoring:Drift:MinRows</c>), <c>ok</c>, or <c>drifting</c> when any column's PSI reaches
/// the threshold.
/// </summary>
public sealed record DriftSnapshot(
    string Status,
    string? Reason,
    string? ModelVersion,
    int WindowRows,
    int WindowSize,
    double Threshold,
    DateTimeOffset? ComputedAt,
    IReadOnlyList<ColumnDrift> Features,
    ColumnDrift? Score)
{
    public static DriftSnapshot Off(string reason, double threshold, int windowSize, string? version = null) =>
        new("off", reason, version, 0, windowSize, threshold, null, [], null);
}

/// <summary>One column's drift: its PSI (null until computed or when the column is off, with the reason) and bins.</summary>
public sealed record ColumnDrift(string Name, string Kind, double? Psi, bool Drifting, string? Reason, IReadOnlyList<DriftBin>? Bins);

/// <summary>One bin's share of the reference and of the live window.</summary>
public sealed record DriftBin(string Bin, double Expected, double Actual);
