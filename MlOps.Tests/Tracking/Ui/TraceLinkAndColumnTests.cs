using MlOps.Tracking.Ui;
using MlOps.Tracking.Ui.Queries;

namespace MlOps.Tests.Tracking.Ui;

/// <summary>The small rules behind the UI's links and sort terms.</summary>
public sealed class TraceLinkAndColumnTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Theory]
    [InlineData("http://localhost:18888", "/traces/{traceId}", "http://localhost:18888/traces/" + TraceId)]
    [InlineData("https://dash.example:443/", "/traces/detail/{traceId}", "https://dash.example/traces/detail/" + TraceId)]
    public void TraceLink_WithADashboardUrl_IsTheDashboardsTracePage(string dashboard, string path, string expected)
    {
        var options = new TrackingUiOptions { DashboardUrl = dashboard, TracePath = path };
        Assert.Equal(expected, options.TraceLink(TraceId)?.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    public void TraceLink_WithoutAnHttpDashboardUrl_IsNone(string? dashboard)
    {
        var options = new TrackingUiOptions { DashboardUrl = dashboard };
        Assert.Null(options.TraceLink(TraceId));
    }

    [Fact]
    public void TraceLink_EscapesTheTraceId()
    {
        var options = new TrackingUiOptions { DashboardUrl = "http://localhost:18888" };
        Assert.Equal("http://localhost:18888/traces/detail/a%2F..%2Fb", options.TraceLink("a/../b")!.AbsoluteUri);
    }

    [Theory]
    [InlineData("metrics.test_pr_auc", "metrics", "test_pr_auc", "metrics.`test_pr_auc` DESC")]
    [InlineData("params.num_leaves", "params", "num_leaves", "params.`num_leaves` DESC")]
    [InlineData("tags.mlflow.source.git.commit", "tags", "mlflow.source.git.commit", "tags.`mlflow.source.git.commit` DESC")]
    public void RunColumn_Parse_KeepsTheKeyWhole_AndQuotesItInOrderBy(string id, string entity, string key, string orderBy)
    {
        var column = RunColumn.Parse(id);
        Assert.Equal(new RunColumn(entity, key), column);
        Assert.Equal(orderBy, column!.OrderBy(ascending: false));
    }

    [Theory]
    [InlineData("metrics.`x` ASC, attributes.run_name")]
    [InlineData("attributes.status")]
    [InlineData("metrics.")]
    [InlineData("x")]
    [InlineData(null)]
    public void RunColumn_Parse_RefusesWhatIsNotAMetricParamOrTag(string? id) => Assert.Null(RunColumn.Parse(id));

    [Theory]
    [InlineData("start_time", "asc", "attributes.start_time ASC")]
    [InlineData("metrics.loss", "asc", "metrics.`loss` ASC")]
    [InlineData("params.lr", "DESC", "params.`lr` DESC")]
    [InlineData("artifact_uri", "asc", "attributes.start_time DESC")]
    [InlineData("start_time; drop table runs", "asc", "attributes.start_time DESC")]
    public void RunSort_Parse_AllowsKnownAttributesAndColumns_ElseTheDefault(string key, string direction, string orderBy) =>
        Assert.Equal(orderBy, RunSort.Parse(key, direction).OrderBy);
}
