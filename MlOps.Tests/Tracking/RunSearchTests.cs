using System.Text.Json.Nodes;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class RunSearchTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Search_FiltersOrdersAndPages()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var experimentId = await server.CreateExperimentAsync();
        var runs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var runId = await server.CreateRunAsync(experimentId);
            runs.Add(runId);
            await server.PostOkAsync("/api/2.0/mlflow/runs/log-batch", new
            {
                run_id = runId,
                metrics = new[] { new { key = "auc", value = 0.5 + (i / 10.0), timestamp = 1, step = 0 } },
                @params = new[] { new { key = "model", value = i % 2 == 0 ? "lgbm" : "xgb" } },
                tags = new[] { new { key = "team", value = "fraud" } },
            });
        }

        await server.PostOkAsync("/api/2.0/mlflow/runs/update", new { run_id = runs[4], status = "FINISHED", end_time = 5 });

        async Task<List<string>> SearchAsync(string filter, params string[] orderBy)
        {
            var found = await server.PostOkAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experimentId }, filter, order_by = orderBy });
            return found["runs"]?.AsArray().Select(r => r!["info"]!["run_id"]!.GetValue<string>()).ToList() ?? [];
        }

        Assert.Equal([runs[4], runs[3]], await SearchAsync("metrics.auc > 0.75", "metrics.auc DESC"));
        Assert.Equal([runs[0], runs[2], runs[4]], await SearchAsync("params.model = 'lgbm' and tags.team = 'fraud'", "metrics.auc ASC"));
        Assert.Equal([runs[4]], await SearchAsync("attributes.status = 'FINISHED'"));
        Assert.Equal(5, (await SearchAsync("tags.`team` LIKE 'fr%'", "attributes.start_time DESC")).Count);
        Assert.Empty(await SearchAsync("metrics.auc >= 2"));
        Assert.Equal(5, (await SearchAsync("attributes.start_time < 1e300")).Count);

        var paged = new List<string>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["experiment_ids"] = new JsonArray(experimentId), ["max_results"] = 2, ["order_by"] = new JsonArray("metrics.auc DESC") };
            if (token is not null)
            {
                body["page_token"] = token;
            }

            var page = await server.PostOkAsync("/api/2.0/mlflow/runs/search", body.ToJsonString());
            paged.AddRange(page["runs"]!.AsArray().Select(r => r!["info"]!["run_id"]!.GetValue<string>()));
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (token is not null);
        Assert.Equal(Enumerable.Reverse(runs), paged);
    }

    [Theory]
    [InlineData("metrics.loss <<< 1")]
    [InlineData("metrics.loss > 'a'")]
    [InlineData("params.lr > 1")]
    [InlineData("nonsense.x = 1")]
    [InlineData("metrics.loss > 1 or metrics.loss < 0")]
    [InlineData("attributes.colour = 'red'")]
    [InlineData("tags.x = 'unterminated")]
    [InlineData("attributes.start_time > 'yesterday'")]
    [InlineData("metrics.`unclosed > 1")]
    public async Task Search_FilterItCannotParse_IsInvalidParameterValue(string filter)
    {
        await using var server = await TrackingServer.StartAsync(postgres);

        var (status, body) = await server.PostAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { "0" }, filter });

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
    }
}
