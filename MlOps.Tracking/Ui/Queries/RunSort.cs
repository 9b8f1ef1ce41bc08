namespace MlOps.Tracking.Ui.Queries;

/// <summary>The runs table's sort: an attribute (start_time, run_name, status, user_id) or a chosen column.</summary>
public sealed record RunSort(string Key, bool Ascending)
{
    public static readonly RunSort Default = new("start_time", Ascending: false);

    private static readonly string[] s_attributes = ["start_time", "end_time", "run_name", "status", "user_id"];

    public static RunSort Parse(string? key, string? direction)
    {
        if (string.IsNullOrEmpty(key) || !(s_attributes.Contains(key) || RunColumn.Parse(key) is not null))
        {
            return Default;
        }

        return new RunSort(key, string.Equals(direction, "asc", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The sort as an MLflow order_by term.</summary>
    public string OrderBy => RunColumn.Parse(Key) is { } column
        ? column.OrderBy(Ascending)
        : $"attributes.{Key} {(Ascending ? "ASC" : "DESC")}";
}
