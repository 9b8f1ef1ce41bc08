namespace MlOps.Tracking.Ui.Queries;

/// <summary>A registered model version made from a run's artifacts.</summary>
public sealed record VersionLink(string Name, string Version, IReadOnlyList<string> Aliases);

/// <summary>One run as the runs table shows it: its info, the chosen columns, where it came from and what it
/// registered; <see cref="Children"/> holds its nested runs (tag <c>mlflow.parentRunId</c>).</summary>
public sealed record RunRow(
    string RunId,
    string ExperimentId,
    string RunName,
    string? UserId,
    string Status,
    long StartTime,
    long? EndTime,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyList<VersionLink> Versions)
{
    public IReadOnlyList<RunRow> Children { get; init; } = [];

    public string? Value(RunColumn column) => column.Entity switch
    {
        RunColumn.Metrics => Metrics.TryGetValue(column.Key, out var metric) ? UiFormat.Number(metric) : null,
        RunColumn.Params => Params.GetValueOrDefault(column.Key),
        _ => Tags.GetValueOrDefault(column.Key),
    };
}

/// <summary>One page of an experiment's runs: top-level runs with their matching nested runs.</summary>
public sealed record RunTablePage(IReadOnlyList<RunRow> Rows, int TotalRoots, int TotalMatched, int PageNumber, int PageSize, bool Truncated)
{
    public int PageCount => Math.Max(1, (TotalRoots + PageSize - 1) / PageSize);
}

/// <summary>A metric or param key seen in an experiment, and in how many distinct values (params) it appears.</summary>
public sealed record ColumnCandidate(RunColumn Column, int DistinctValues);
