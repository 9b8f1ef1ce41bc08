using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class LifecycleTests(PostgresFixture postgres)
{
    [Fact]
    public async Task DeletedRun_LeavesActiveSearch_AndRestoreBringsItBack()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var experimentId = await server.CreateExperimentAsync();
        var runId = await server.CreateRunAsync(experimentId);
        await server.PostOkAsync("/api/2.0/mlflow/runs/set-tag", new { run_id = runId, key = "k", value = "v" });
        await server.PostOkAsync("/api/2.0/mlflow/runs/delete-tag", new { run_id = runId, key = "k" });
        await server.PostOkAsync("/api/2.0/mlflow/experiments/set-experiment-tag", new { experiment_id = experimentId, key = "team", value = "fraud" });

        await server.PostOkAsync("/api/2.0/mlflow/runs/delete", new { run_id = runId });
        var active = await server.PostOkAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experimentId } });
        var deleted = await server.PostOkAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { experimentId }, run_view_type = "DELETED_ONLY" });
        var (logStatus, _) = await server.PostAsync("/api/2.0/mlflow/runs/log-parameter", new { run_id = runId, key = "p", value = "1" });
        await server.PostOkAsync("/api/2.0/mlflow/runs/restore", new { run_id = runId });
        var run = await server.GetOkAsync($"/api/2.0/mlflow/runs/get?run_id={runId}");
        var experiment = await server.GetOkAsync($"/api/2.0/mlflow/experiments/get?experiment_id={experimentId}");

        Assert.Null(active["runs"]);
        Assert.Single(deleted["runs"]!.AsArray());
        Assert.Equal(400, logStatus);
        Assert.Equal("active", run["run"]!["info"]!["lifecycle_stage"]!.GetValue<string>());
        Assert.DoesNotContain(run["run"]!["data"]!["tags"]!.AsArray(), t => t!["key"]!.GetValue<string>() == "k");
        Assert.Equal("fraud", experiment["experiment"]!["tags"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegistryUpdates_TagsDescriptionsStagesAndDeletes()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/create", new { name = "m" });
        await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "m", source = "mlflow-artifacts:/0/r/artifacts/model" });
        await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "m", source = "mlflow-artifacts:/0/r/artifacts/model" });
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/set-tag", new { name = "m", key = "owner", value = "me" });

        var updated = await SendAsync(server, HttpMethod.Patch, "/api/2.0/mlflow/registered-models/update", new { name = "m", description = "fraud model" });
        var version = await SendAsync(server, HttpMethod.Patch, "/api/2.0/mlflow/model-versions/update", new { name = "m", version = "1", description = "first" });
        var staged = await server.PostOkAsync("/api/2.0/mlflow/model-versions/transition-stage", new { name = "m", version = "1", stage = "production" });
        var latest = await server.PostOkAsync("/api/2.0/mlflow/registered-models/get-latest-versions", new { name = "m", stages = new[] { "Production" } });
        await server.PostOkAsync("/api/2.0/mlflow/registered-models/alias", new { name = "m", alias = "champion", version = "2" });
        await SendAsync(server, HttpMethod.Delete, "/api/2.0/mlflow/model-versions/delete", new { name = "m", version = "2" });
        var (aliasStatus, _) = await server.GetAsync("/api/2.0/mlflow/registered-models/alias?name=m&alias=champion");
        var third = await server.PostOkAsync("/api/2.0/mlflow/model-versions/create", new { name = "m", source = "mlflow-artifacts:/0/r/artifacts/model" });
        await SendAsync(server, HttpMethod.Delete, "/api/2.0/mlflow/registered-models/delete", new { name = "m" });
        var (goneStatus, _) = await server.GetAsync("/api/2.0/mlflow/registered-models/get?name=m");

        Assert.Equal("fraud model", updated.GetProperty("registered_model").GetProperty("description").GetString());
        Assert.Equal("me", updated.GetProperty("registered_model").GetProperty("tags")[0].GetProperty("value").GetString());
        Assert.Equal("first", version.GetProperty("model_version").GetProperty("description").GetString());
        Assert.Equal("Production", staged["model_version"]!["current_stage"]!.GetValue<string>());
        Assert.Equal("1", latest["model_versions"]![0]!["version"]!.GetValue<string>());
        Assert.Equal(400, aliasStatus);
        Assert.Equal("3", third["model_version"]!["version"]!.GetValue<string>()); // numbers are never reused
        Assert.Equal(404, goneStatus);
    }

    private static async Task<JsonElement> SendAsync(TrackingServer server, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await server.Client.SendAsync(request).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
