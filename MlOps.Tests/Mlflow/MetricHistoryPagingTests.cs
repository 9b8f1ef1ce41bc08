using System.Net;
using System.Text;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MetricHistoryPagingTests
{
    // The captures hold no paged history (MLflow 2.19 ignored max_results), so pages come from a handler at the
    // HTTP boundary that answers in MLflow's shape with next_page_token.
    private sealed class PagingHandler : HttpMessageHandler
    {
        public List<string> Queries { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var query = request.RequestUri!.Query;
            Queries.Add(query);
            var body = query.Contains("page_token=p2", StringComparison.Ordinal)
                ? """{"metrics": [{"key": "loss", "value": "NaN", "timestamp": 3, "step": 2}]}"""
                : """{"metrics": [{"key": "loss", "value": 0.9, "timestamp": 1}, {"key": "loss", "value": 0.5, "timestamp": 2, "step": 1}], "next_page_token": "p2"}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            });
        }
    }

    [Fact]
    public async Task GetMetricHistory_TwoPages_FollowsTokenToTheEnd()
    {
        var handler = new PagingHandler();
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://mlflow.invalid/") };

        var history = await new MlflowClient(http).GetMetricHistoryAsync("run", "loss").DefaultTimeout();

        Assert.Equal([0L, 1L, 2L], history.Select(m => m.Step));
        Assert.True(double.IsNaN(history[2].Value));
        Assert.Equal(2, handler.Queries.Count);
        Assert.Contains("page_token=p2", handler.Queries[1], StringComparison.Ordinal);
    }
}
