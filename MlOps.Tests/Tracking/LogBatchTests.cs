using System.Text.Json.Nodes;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class LogBatchTests(PostgresFixture postgres)
{
    [Fact]
    public async Task LogBatch_OneInvalidEntry_StoresNothing()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());

        var (status, body) = await server.PostAsync("/api/2.0/mlflow/runs/log-batch", new
        {
            run_id = runId,
            metrics = new object[] { new { key = "loss", value = 0.5, timestamp = 1, step = 0 }, new { key = "", value = 1.0, timestamp = 1 } },
            @params = new[] { new { key = "lr", value = "0.1" } },
            tags = new[] { new { key = "t", value = "v" } },
        });

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
        var data = (await server.GetOkAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))["run"]!["data"]!;
        Assert.Null(data["metrics"]);
        Assert.Null(data["params"]);
        Assert.Single(data["tags"]!.AsArray()); // only mlflow.runName from create
    }

    [Fact]
    public async Task LogBatch_ParamConflictInBatch_RollsBackTheWholeBatch()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());
        await server.PostOkAsync("/api/2.0/mlflow/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.01" });

        var (status, body) = await server.PostAsync("/api/2.0/mlflow/runs/log-batch", new
        {
            run_id = runId,
            metrics = new[] { new { key = "loss", value = 0.5, timestamp = 1, step = 0 } },
            @params = new[] { new { key = "epochs", value = "3" }, new { key = "lr", value = "0.02" } },
        });

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
        var data = (await server.GetOkAsync($"/api/2.0/mlflow/runs/get?run_id={runId}"))["run"]!["data"]!;
        Assert.Null(data["metrics"]);
        Assert.Equal("lr", Assert.Single(data["params"]!.AsArray())!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task LogParameter_ChangedValue_IsInvalidParameterValue_SameValueIsAccepted()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());
        await server.PostOkAsync("/api/2.0/mlflow/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.01" });
        await server.PostOkAsync("/api/2.0/mlflow/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.01" });

        var (status, body) = await server.PostAsync("/api/2.0/mlflow/runs/log-parameter", new { run_id = runId, key = "lr", value = "0.02" });

        Assert.Equal(400, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", body!["error_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task LogBatch_OverTheLimits_IsRejected()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());

        var metrics = Enumerable.Range(0, 1001).Select(i => new { key = "m", value = 1.0, timestamp = 1, step = i }).ToArray();
        var parameters = Enumerable.Range(0, 101).Select(i => new { key = $"p{i}", value = "v" }).ToArray();

        Assert.Equal(400, (await server.PostAsync("/api/2.0/mlflow/runs/log-batch", new { run_id = runId, metrics })).Status);
        Assert.Equal(400, (await server.PostAsync("/api/2.0/mlflow/runs/log-batch", new { run_id = runId, @params = parameters })).Status);
        await server.PostOkAsync("/api/2.0/mlflow/runs/log-batch", new { run_id = runId, metrics = metrics[..1000] });
    }

    [Fact]
    public async Task LogMetric_NaNAndInfinity_AreEchoedAsStrings()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var runId = await server.CreateRunAsync(await server.CreateExperimentAsync());
        await server.PostOkAsync("/api/2.0/mlflow/runs/log-metric", """{"run_id": "RUN", "key": "a", "value": "NaN", "timestamp": 1, "step": 0}""".Replace("RUN", runId, StringComparison.Ordinal));
        await server.PostOkAsync("/api/2.0/mlflow/runs/log-metric", """{"run_id": "RUN", "key": "b", "value": "-Infinity", "timestamp": 1}""".Replace("RUN", runId, StringComparison.Ordinal));

        var history = await server.GetOkAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=a");
        Assert.Equal("NaN", history["metrics"]![0]!["value"]!.GetValue<string>());
        var run = await server.GetOkAsync($"/api/2.0/mlflow/runs/get?run_id={runId}");
        var values = run["run"]!["data"]!["metrics"]!.AsArray().ToDictionary(m => m!["key"]!.GetValue<string>(), m => m!["value"]!.ToJsonString());
        Assert.Equal("\"NaN\"", values["a"]);
        Assert.Equal("\"-Infinity\"", values["b"]);
    }

    [Fact]
    public async Task LogBatch_EightConcurrentWriters_LoseNothing()
    {
        await using var server = await TrackingServer.StartAsync(postgres);
        var experimentId = await server.CreateExperimentAsync();
        var runIds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.CreateRunAsync(experimentId)));

        // Eight writers on four runs: two writers share each run (and its latest_metrics rows).
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var metrics = Enumerable.Range(0, 100).Select(i => new JsonObject
                {
                    ["key"] = $"m{i % 5}",
                    ["value"] = (double)(writer * 1000 + batch * 100 + i),
                    ["timestamp"] = 1000 + batch,
                    ["step"] = writer * 1000 + batch * 100 + i,
                }).ToArray();
                await server.PostOkAsync("/api/2.0/mlflow/runs/log-batch", new JsonObject { ["run_id"] = runIds[writer % 4], ["metrics"] = new JsonArray(metrics) }.ToJsonString());
            }
        })).DefaultTimeout();

        foreach (var runId in runIds)
        {
            var total = 0;
            for (var k = 0; k < 5; k++)
            {
                var history = await server.GetOkAsync($"/api/2.0/mlflow/metrics/get-history?run_id={runId}&metric_key=m{k}");
                total += history["metrics"]!.AsArray().Count;
            }

            Assert.Equal(2 * 1000, total);
        }
    }
}
