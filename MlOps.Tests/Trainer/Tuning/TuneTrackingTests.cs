using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Cli;

namespace MlOps.Tests.Trainer.Tuning;

// `tune` against the real tracking server: the parent run, its nested trial runs, the registered model.
[Collection(PostgresCollection.Name)]
public sealed class TuneTrackingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Tune_WithTracking_EachTrialANestedRunAndTheBestRegisteredFromTheParent()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await TuneCommandTests.AdditiveTableAsync(temp, rows: 3000);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);

        var result = await TrainerRunner.RunAsync(server.Environment,
            "tune", "--data", data, "--label", "label", "--output", temp.File("out"), "--device", "cpu", "--threads", "2", "--trials", "4", "--experiment", "search");

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        var runs = await AllRunsAsync(client, "search");
        var parent = Assert.Single(runs, r => !r.Data.Tags.Any(t => t.Key == "mlflow.parentRunId"));
        var children = runs.Where(r => r.Data.Tags.Any(t => t.Key == "mlflow.parentRunId" && t.Value == parent.Info.RunId)).ToList();
        Assert.Equal(4, children.Count);
        Assert.All(children, c =>
        {
            Assert.Equal(RunStatus.Finished, c.Info.Status);
            Assert.Contains(c.Data.Params, p => p.Key == "learning_rate");
            Assert.Contains(c.Data.Metrics, m => m.Key == "valid_pr_auc");
        });
        Assert.Equal(["trial-001", "trial-002", "trial-003", "trial-004"], children.Select(c => c.Info.RunName).Order());

        Assert.Equal(RunStatus.Finished, parent.Info.Status);
        var parameters = parent.Data.Params.ToDictionary(p => p.Key, p => p.Value);
        Assert.Contains("\"learning_rate\"", parameters["tune.space"], StringComparison.Ordinal);
        var best = children.MaxBy(c => c.Data.Metrics.Single(m => m.Key == "valid_pr_auc").Value)!;
        Assert.Equal(best.Data.Params.Single(p => p.Key == "learning_rate").Value, parameters["best.learning_rate"]);
        Assert.Equal(best.Data.Metrics.Single(m => m.Key == "valid_pr_auc").Value, parent.Data.Metrics.Single(m => m.Key == "best_valid_pr_auc").Value);
        var objective = await client.GetMetricHistoryAsync(parent.Info.RunId, "tune_best_valid_pr_auc").DefaultTimeout();
        Assert.Equal([1L, 2, 3, 4], objective.Select(m => m.Step).Order());
        var download = temp.File("download");
        await client.DownloadFileAsync(parent.Info.ArtifactUri, "plots/tune_objective.png", Path.Combine(download, "objective.png")).DefaultTimeout();
        Assert.True(new FileInfo(Path.Combine(download, "objective.png")).Length > 1000);

        var production = await client.GetModelVersionByAliasAsync("fraud-detector", "production").DefaultTimeout();
        Assert.Equal(parent.Info.RunId, production.RunId);
    }

    [Fact]
    public async Task Tune_CtrlC_ParentKilledWithFinishedTrialsAndBestSoFar()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = await TuneCommandTests.AdditiveTableAsync(temp, rows: 3000);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);
        using var cancel = new CancellationTokenSource();
        using var output = new CancellingWriter("trial 2/", cancel);
        using var error = new StringWriter();

        var code = await TrainerCli.RunAsync(
            ["tune", "--data", data, "--label", "label", "--output", temp.File("out"), "--device", "cpu", "--threads", "2", "--trials", "50", "--experiment", "search"],
            output, error, server.Environment, cancel.Token).DefaultTimeout(TimeSpan.FromMinutes(5));

        Assert.Equal(TrainerCli.Cancelled, code);
        var runs = await AllRunsAsync(client, "search");
        var parent = Assert.Single(runs, r => !r.Data.Tags.Any(t => t.Key == "mlflow.parentRunId"));
        Assert.Equal(RunStatus.Killed, parent.Info.Status);
        var children = runs.Where(r => r != parent).ToList();
        Assert.True(children.Count(c => c.Info.Status == RunStatus.Finished) >= 2);
        Assert.All(children, c => Assert.Contains(c.Info.Status, new[] { RunStatus.Finished, RunStatus.Killed }));
        Assert.Contains(parent.Data.Params, p => p.Key.StartsWith("best.", StringComparison.Ordinal));
        Assert.Contains(parent.Data.Params, p => p.Key == "tune.trials_finished");
        Assert.Empty((await client.SearchRegisteredModelsAsync(new RegistrySearch()).DefaultTimeout()).Items);
    }

    private static async Task<List<Run>> AllRunsAsync(MlflowClient client, string experimentName)
    {
        var experiment = await client.GetExperimentByNameAsync(experimentName).DefaultTimeout();
        var page = await client.SearchRunsAsync(new RunSearch { ExperimentIds = [experiment.ExperimentId], MaxResults = 1000 }).DefaultTimeout();
        return [.. page.Items];
    }
}
