namespace MlOps.Tracking.Ui.Queries;

/// <summary>A column of the runs table chosen by the user: a metric, a param or a tag, named as MLflow's search
/// syntax names it (<c>metrics.test_pr_auc</c>).</summary>
public sealed record RunColumn(string Entity, string Key)
{
    public const string Metrics = "metrics";
    public const string Params = "params";
    public const string Tags = "tags";

    public string Id => $"{Entity}.{Key}";

    /// <summary>The column as an MLflow order_by term; the key is quoted so any character in it is safe.</summary>
    public string OrderBy(bool ascending) => $"{Entity}.`{Key}` {(ascending ? "ASC" : "DESC")}";

    public static RunColumn? Parse(string? id)
    {
        var dot = id?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (id is null || dot <= 0 || dot == id.Length - 1 || id.Contains('`', StringComparison.Ordinal))
        {
            return null;
        }

        var entity = id[..dot];
        return entity is Metrics or Params or Tags ? new RunColumn(entity, id[(dot + 1)..]) : null;
    }
}
