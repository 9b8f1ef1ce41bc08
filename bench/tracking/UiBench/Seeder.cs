using System.Globalization;
using System.Text.Json.Nodes;

namespace UiBench;

/// <summary>
/// Fills one experiment the way trainings do: every run created, logged (20 params, 16 final metrics, tags) and
/// ended through the REST API by concurrent writers; one run with 500-step curves, one tuning parent with 20 nested
/// runs, and a registered model with three versions and two aliases.
/// </summary>
internal sealed class Seeder(Api api, int runs, int writers)
{
    private static readonly string[] s_leaves = ["15", "31", "63", "127"];
    private static readonly string[] s_rates = ["0.01", "0.03", "0.05", "0.1"];

    public async Task<Seeded> SeedAsync()
    {
        var experimentId = (await api.PostAsync("experiments/create", new JsonObject { ["name"] = "fraud-detection" }))["experiment_id"]!.GetValue<string>();
        var start = DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeMilliseconds();
        var ids = new string[runs];
        await Parallel.ForEachAsync(Enumerable.Range(0, runs), new ParallelOptions { MaxDegreeOfParallelism = writers }, async (i, _) =>
            ids[i] = await RunAsync(experimentId, i, start + i * 60_000L, parent: null));

        var curves = ids[^1];
        await CurvesAsync(curves);
        var parent = await RunAsync(experimentId, runs, start + runs * 60_000L, parent: null, name: "tune-bench");
        for (var t = 0; t < 20; t++)
        {
            await RunAsync(experimentId, runs + 1 + t, start + (runs + 1 + t) * 60_000L, parent);
        }

        await RegisterAsync([ids[^3], ids[^2], ids[^1]]);
        return new Seeded(experimentId, curves, [ids[^1], ids[^2], ids[^3]]);
    }

    private async Task<string> RunAsync(string experimentId, int i, long startTime, string? parent, string? name = null)
    {
        var random = new Random(i);
        var tags = new List<(string, string)>
        {
            ("mlflow.source.name", "mlops-trainer"), ("mlflow.source.type", "LOCAL"), ("mlflow.user", "bench"),
            ("mlflow.source.git.commit", $"{random.NextInt64():x16}{random.NextInt64():x16}{random.NextInt64():x16}"[..40]),
        };
        if (parent is not null)
        {
            tags.Add(("mlflow.parentRunId", parent));
        }

        var created = await api.PostAsync("runs/create", new JsonObject
        {
            ["experiment_id"] = experimentId, ["run_name"] = name ?? $"train-{i:00000}", ["start_time"] = startTime, ["user_id"] = "bench",
            ["tags"] = Api.KeyValues(tags),
        });
        var runId = created["run"]!["info"]!["run_id"]!.GetValue<string>();
        var parameters = new List<(string, string)> { ("num_leaves", s_leaves[i % 4]), ("learning_rate", s_rates[(i / 4) % 4]), ("seed", (i % 7).ToString(CultureInfo.InvariantCulture)) };
        parameters.AddRange(Enumerable.Range(0, 17).Select(k => ($"param_{k:00}", (random.Next(1000) / 10.0).ToString(CultureInfo.InvariantCulture))));
        var metrics = new JsonArray();
        foreach (var key in new[] { "test_pr_auc", "test_roc_auc", "test_f1", "test_precision", "test_recall", "test_log_loss", "validation_pr_auc", "validation_roc_auc" })
        {
            metrics.Add(Metric(key, random.NextDouble(), startTime + 30_000, 0));
        }

        foreach (var key in new[] { "threshold", "best_iteration", "training_seconds", "valid_pr_auc", "valid_auc", "valid_logloss", "parity_max_abs_delta", "test_accuracy" })
        {
            metrics.Add(Metric(key, random.NextDouble() * 100, startTime + 30_000, 0));
        }

        await api.PostAsync("runs/log-batch", new JsonObject
        {
            ["run_id"] = runId, ["params"] = Api.KeyValues(parameters), ["metrics"] = metrics,
            ["tags"] = Api.KeyValues([("mlops.device", "cpu"), ("mlops.trace_id", $"{random.NextInt64():x16}{random.NextInt64():x16}")]),
        });
        await api.PostAsync("runs/update", new JsonObject { ["run_id"] = runId, ["status"] = "FINISHED", ["end_time"] = startTime + 45_000 });
        return runId;
    }

    // 500 iterations of the three validation curves, as the trainer streams them.
    private async Task CurvesAsync(string runId)
    {
        var metrics = new JsonArray();
        for (var step = 0; step < 500; step++)
        {
            metrics.Add(Metric("valid_pr_auc", 0.9 - 0.5 / (step + 2), 0, step));
            metrics.Add(Metric("valid_auc", 0.99 - 0.3 / (step + 2), 0, step));
            metrics.Add(Metric("valid_logloss", 0.02 + 0.3 / (step + 2), 0, step));
            if (metrics.Count >= 900)
            {
                await api.PostAsync("runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics });
                metrics = [];
            }
        }

        await api.PostAsync("runs/log-batch", new JsonObject { ["run_id"] = runId, ["metrics"] = metrics });
    }

    private async Task RegisterAsync(string[] runIds)
    {
        await api.PostAsync("registered-models/create", new JsonObject { ["name"] = "fraud-detector" });
        foreach (var runId in runIds)
        {
            await api.PostAsync("model-versions/create", new JsonObject { ["name"] = "fraud-detector", ["source"] = $"runs:/{runId}/model", ["run_id"] = runId });
        }

        await api.PostAsync("registered-models/alias", new JsonObject { ["name"] = "fraud-detector", ["alias"] = "production", ["version"] = "2" });
        await api.PostAsync("registered-models/alias", new JsonObject { ["name"] = "fraud-detector", ["alias"] = "challenger", ["version"] = "3" });
    }

    private static JsonObject Metric(string key, double value, long timestamp, long step) =>
        new() { ["key"] = key, ["value"] = value, ["timestamp"] = timestamp, ["step"] = step };
}

/// <summary>What the measurements open: the experiment, the run with curves, three runs to compare.</summary>
internal sealed record Seeded(string ExperimentId, string CurvesRun, string[] CompareRuns);
