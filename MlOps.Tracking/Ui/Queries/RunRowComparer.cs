namespace MlOps.Tracking.Ui.Queries;

/// <summary>Orders the nested runs shown under a parent as the table's sort orders runs: missing values last, then
/// the newest first.</summary>
internal sealed class RunRowComparer(RunSort sort) : IComparer<RunRow>
{
    public int Compare(RunRow? x, RunRow? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var (a, b) = (Key(x), Key(y));
        var result = (a, b) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => sort.Ascending ? a.CompareTo(b) : b.CompareTo(a),
        };
        return result != 0 ? result
            : y.StartTime.CompareTo(x.StartTime) is var newest and not 0 ? newest
            : string.CompareOrdinal(x.RunId, y.RunId);
    }

    private IComparable? Key(RunRow run) => RunColumn.Parse(sort.Key) is { } column
        ? column.Entity == RunColumn.Metrics ? run.Metrics.TryGetValue(column.Key, out var metric) ? metric : null
            : run.Value(column) is { } text ? new OrdinalText(text) : null
        : sort.Key switch
        {
            "end_time" => run.EndTime,
            "run_name" => new OrdinalText(run.RunName),
            "status" => new OrdinalText(run.Status),
            "user_id" => run.UserId is { } user ? new OrdinalText(user) : null,
            _ => run.StartTime,
        };

    private sealed record OrdinalText(string Text) : IComparable
    {
        public int CompareTo(object? obj) => string.CompareOrdinal(Text, (obj as OrdinalText)?.Text);
    }
}
