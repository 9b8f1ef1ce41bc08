namespace MlOps.Tracking.Ui.Queries;

/// <summary>Which metric and param columns the runs table shows when the reader has not chosen.</summary>
public static class RunColumns
{
    public const int MaxColumns = 24;

    private static readonly string[] s_preferredMetrics = ["test_pr_auc", "test_roc_auc", "test_f1", "valid_pr_auc"];
    private static readonly string[] s_preferredParams = ["num_leaves", "learning_rate", "num_iterations", "max_depth", "seed"];

    /// <summary>The chosen columns (<c>col=metrics.x</c>), or a few that tell runs apart: the test metrics, then
    /// params whose values differ between recent runs.</summary>
    public static List<RunColumn> Choose(string[]? ids, IReadOnlyList<ColumnCandidate> candidates)
    {
        if (ids is { Length: > 0 })
        {
            return [.. ids.Select(RunColumn.Parse).OfType<RunColumn>().Distinct().Take(MaxColumns)];
        }

        var metrics = candidates.Where(c => c.Column.Entity == RunColumn.Metrics).Select(c => c.Column).ToList();
        var chosenMetrics = Preferred(metrics, s_preferredMetrics).Take(3).ToList();
        if (chosenMetrics.Count == 0)
        {
            chosenMetrics = [.. metrics.Take(3)];
        }

        var parameters = candidates.Where(c => c.Column.Entity == RunColumn.Params).ToList();
        var varying = parameters.Where(c => c.DistinctValues > 1).Select(c => c.Column).ToList();
        var chosenParams = Preferred(varying, s_preferredParams).Concat(varying).Distinct().Take(3).ToList();
        if (chosenParams.Count == 0)
        {
            chosenParams = [.. Preferred(parameters.Select(c => c.Column).ToList(), s_preferredParams).Take(2)];
        }

        return [.. chosenMetrics, .. chosenParams];
    }

    /// <summary>Filters worth a click on this experiment, in MLflow's syntax.</summary>
    public static List<string> ExampleFilters(IReadOnlyList<ColumnCandidate> candidates)
    {
        var examples = new List<string> { "attributes.status = 'FINISHED'" };
        if (candidates.Any(c => c.Column == new RunColumn(RunColumn.Metrics, "test_pr_auc")))
        {
            examples.Add("metrics.test_pr_auc > 0.4");
        }

        if (candidates.Any(c => c.Column == new RunColumn(RunColumn.Params, "num_leaves")))
        {
            examples.Add("params.num_leaves = '31'");
        }

        return examples;
    }

    private static IEnumerable<RunColumn> Preferred(List<RunColumn> present, string[] order) =>
        order.Select(key => present.FirstOrDefault(c => c.Key == key)).OfType<RunColumn>();
}
