using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Tracking;

// Each test has its own tracking server (database, artifacts, port) and hands the trainer its URI through
// TrainerCli's environment lookup, so no process-wide MLFLOW_TRACKING_URI is set and the tests run in parallel.
[Collection(PostgresCollection.Name)]
public sealed partial class TrainTrackingTests(PostgresFixture postgres)
{
    private const string Model = "fraud-detector";

    [Fact]
    public async Task Train_WithTracking_LogsFinishedRunAndRegistersProduction()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);

        var result = await TrainAsync(server, temp, data, "--iterations", "25");

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var runId = RunIdOf(result);
        var run = await client.GetRunAsync(runId).DefaultTimeout();
        Assert.Equal(RunStatus.Finished, run.Info.Status);
        var parameters = run.Data.Params.ToDictionary(p => p.Key, p => p.Value);
        Assert.True(parameters.ContainsKey("num_leaves"));
        Assert.Equal("7", parameters["seed"]);
        Assert.Equal("is_fraud", parameters["label"]);
        Assert.Equal("transactions.csv", parameters["data_file"]);
        var metrics = run.Data.Metrics.ToDictionary(m => m.Key, m => m.Value);
        Assert.InRange(metrics["test_pr_auc"], 0.0, 1.0);
        Assert.True(metrics.ContainsKey("validation_roc_auc") && metrics.ContainsKey("threshold") && metrics.ContainsKey("best_iteration"));
        var history = await client.GetMetricHistoryAsync(runId, "valid_pr_auc").DefaultTimeout();
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => m.Step).Order());
        Assert.InRange(history.Count, 1, 25);
        var tags = run.Data.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.StartsWith("train-", tags[KnownMlflowTags.RunName], StringComparison.Ordinal);
        Assert.Equal("mlops-trainer", tags[KnownMlflowTags.SourceName]);
        Assert.Matches("^[0-9a-f]{32}$", tags["mlops.data.md5"]);
        Assert.Matches("^[0-9a-f]{32}$", tags["mlops.trace_id"]);
        Assert.Equal("cpu", tags["mlops.device"]);
        var input = Assert.Single(run.Inputs.DatasetInputs);
        Assert.Equal((tags["mlops.data.md5"], "transactions.csv", "local"), (input.Dataset.Digest, input.Dataset.Name, input.Dataset.SourceType));

        var download = temp.File("download");
        foreach (var artifact in new[] { "model/MLmodel", "model/model.onnx", "model/model-card.json", "model-card.json", "plots/pr_curve.png" })
        {
            await client.DownloadFileAsync(run.Info.ArtifactUri, artifact, Path.Combine(download, artifact)).DefaultTimeout();
        }

        Assert.Equal(runId, MlModel.Load(Path.Combine(download, "model")).RunId);
        var production = await client.GetModelVersionByAliasAsync(Model, "production").DefaultTimeout();
        Assert.Equal(("1", runId), (production.Version, production.RunId));
        Assert.Contains("production", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_WorseSecondModel_BecomesChallengerAndProductionStays()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);
        var first = await TrainAsync(server, temp, data, "--iterations", "25");
        Assert.True(first.ExitCode == 0, first.Error);

        // A margin no model can clear makes the outcome independent of how good the tiny second model happens to be.
        var second = await TrainAsync(server, temp, data, "--iterations", "2", "--num-leaves", "2", "--promotion-margin", "1.5");

        Assert.True(second.ExitCode == 0, second.Error);
        var production = await client.GetModelVersionByAliasAsync(Model, "production").DefaultTimeout();
        var challenger = await client.GetModelVersionByAliasAsync(Model, "challenger").DefaultTimeout();
        Assert.Equal(("1", "2"), (production.Version, challenger.Version));
        var tags = challenger.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("challenger", tags["mlops.promotion.decision"]);
        // Same data and seed, so the same test rows: production re-scored there matches its own recorded figure
        // (up to ONNX's float probabilities against LightGBM's doubles).
        var productionRun = await client.GetRunAsync(production.RunId).DefaultTimeout();
        Assert.Equal(productionRun.Data.Metrics.Single(m => m.Key == "test_pr_auc").Value,
            double.Parse(tags["mlops.promotion.production_pr_auc"], CultureInfo.InvariantCulture), 3);
        Assert.Equal("paired_bootstrap", tags["mlops.promotion.method"]);
        Assert.True(tags.ContainsKey("mlops.promotion.candidate_pr_auc"));
        Assert.True(double.Parse(tags["mlops.promotion.gain_ci_low"], CultureInfo.InvariantCulture)
            <= double.Parse(tags["mlops.promotion.gain_ci_high"], CultureInfo.InvariantCulture));
        Assert.Contains("challenger", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_SameDataOtherSeed_NoiseDoesNotTakeProduction()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);
        Assert.Equal(0, (await TrainAsync(server, temp, data, "--iterations", "60")).ExitCode);

        // The same recipe with another bagging seed: any difference is luck, which the paired interval shows.
        var again = await TrainerRunner.RunAsync(server.Environment,
            ["train", "--data", data, "--label", "is_fraud", "--output", temp.File("again"), "--seed", "7", "--device", "cpu", "--threads", "2",
                "--iterations", "60", "--config", await BaggingSeedConfigAsync(temp)]);

        Assert.True(again.ExitCode == 0, again.Error);
        var version = await client.GetModelVersionAsync(Model, "2").DefaultTimeout();
        var tags = version.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("challenger", tags["mlops.promotion.decision"]);
        var low = double.Parse(tags["mlops.promotion.gain_ci_low"], CultureInfo.InvariantCulture);
        var high = double.Parse(tags["mlops.promotion.gain_ci_high"], CultureInfo.InvariantCulture);
        Assert.True(low < 0 && high > 0, $"interval [{low}, {high}]");
        Assert.Equal("0.95", tags["mlops.promotion.confidence"]);
        Assert.Contains("not clearly better", tags["mlops.promotion.reason"], StringComparison.Ordinal);
        var run = await client.GetRunAsync(RunIdOf(again)).DefaultTimeout();
        Assert.Contains(run.Data.Metrics, m => m.Key == "promotion_gain_ci_low" && m.Value == low);
        Assert.Contains(run.Data.Tags, t => t.Key == "mlops.promotion.decision" && t.Value == "challenger");
        Assert.Equal("1", (await client.GetModelVersionByAliasAsync(Model, "production").DefaultTimeout()).Version);
    }

    private static async Task<string> BaggingSeedConfigAsync(TempDirectory temp)
    {
        var path = temp.File("feature-fraction.json");
        await File.WriteAllTextAsync(path, """{ "lightgbm": { "feature_fraction": 0.8, "bagging_fraction": 0.7 } }""").DefaultTimeout();
        return path;
    }

    [Fact]
    public async Task Train_PipelineThrowsAfterRunStarted_RunFailedWithError()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);

        var result = await TrainAsync(server, temp, data, "--positive", "no-such-value");

        Assert.Equal(2, result.ExitCode);
        var run = await client.GetRunAsync(RunIdOf(result)).DefaultTimeout();
        Assert.Equal(RunStatus.Failed, run.Info.Status);
        Assert.NotNull(run.Info.EndTime);
        var error = run.Data.Tags.Single(t => t.Key == "mlops.error").Value;
        Assert.Contains("no-such-value", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public async Task Train_TrackingServerStopped_FailsWithOneLineWithinBoundedTime()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp);
        await server.StopAsync();
        var clock = Stopwatch.StartNew();

        var result = await TrainAsync(server, temp, data, "--iterations", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"tracking server {server.BaseAddress} unreachable after ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_TrackingServerStoppedMidRun_FailsWithOneLineWithinBoundedTime()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await GenerateAsync(temp);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);
        var clock = Stopwatch.StartNew();

        // A slow training (many small steps, no early stopping) so the server goes away while it runs.
        var training = TrainAsync(server, temp, data, "--iterations", "400", "--learning-rate", "0.01", "--early-stopping-rounds", "0");
        await WaitForRunAsync(client).DefaultTimeout();
        await server.StopAsync();
        var result = await training;

        Assert.Equal(1, result.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(90));
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"tracking server {server.BaseAddress} unreachable after ", line, StringComparison.Ordinal);
    }

    private static async Task WaitForRunAsync(MlflowClient client)
    {
        while (true)
        {
            try
            {
                var experiment = await client.GetExperimentByNameAsync("fraud-detection");
                var runs = await client.SearchRunsAsync(new RunSearch { ExperimentIds = [experiment.ExperimentId] });
                if (runs.Items.Count > 0)
                {
                    return;
                }
            }
            catch (MlflowException e) when (e.IsNotFound)
            {
                // The trainer has not created the experiment yet.
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> GenerateAsync(TempDirectory temp)
    {
        var data = temp.File("transactions.csv");
        var generate = await TrainerRunner.RunAsync("generate", "--rows", "20000", "--seed", "7", "--out", data);
        Assert.True(generate.ExitCode == 0, generate.Error);
        return data;
    }

    private static Task<TrainerRunner.Result> TrainAsync(TrackingServerHost server, TempDirectory temp, string data, params string[] extra) =>
        TrainerRunner.RunAsync(server.Environment,
            ["train", "--data", data, "--label", "is_fraud", "--output", temp.File("out"), "--seed", "7", "--device", "cpu", "--threads", "2", .. extra]);

    private static string RunIdOf(TrainerRunner.Result result)
    {
        var match = RunIdPattern().Match(result.Output);
        Assert.True(match.Success, $"no run id in the output: {result.Output}\n{result.Error}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"MLflow run (\S+) in experiment")]
    private static partial Regex RunIdPattern();
}
