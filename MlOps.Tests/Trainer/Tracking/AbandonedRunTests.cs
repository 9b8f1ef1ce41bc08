using System.Diagnostics;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Trainer.Tracking;

// A trainer killed with SIGKILL cannot end its run; the next training must.
[Collection(PostgresCollection.Name)]
public sealed class AbandonedRunTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Train_AfterATrainerWasKilled_EndsItsRunFailedWithTheReason()
    {
        await using var server = await TrackingServerHost.StartAsync(postgres);
        using var temp = new TempDirectory();
        var data = temp.File("transactions.csv");
        Assert.Equal(0, (await TrainerRunner.RunAsync("generate", "--rows", "200000", "--seed", "3", "--out", data)).ExitCode);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var client = new MlflowClient(http);

        // The real trainer as its own process, killed as the out-of-memory killer would once its run exists.
        using var victim = StartTrainer(server, data, temp.File("victim"));
        var abandoned = await WaitForRunningRunAsync(client).DefaultTimeout(TimeSpan.FromMinutes(2));
        victim.Kill();
        await victim.WaitForExitAsync().DefaultTimeout();
        Assert.Equal(RunStatus.Running, (await client.GetRunAsync(abandoned.Info.RunId).DefaultTimeout()).Info.Status);
        Assert.Equal(victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), abandoned.Data.Tags.Single(t => t.Key == "mlops.trainer.pid").Value);

        var next = await TrainerRunner.RunAsync(server.Environment,
            "train", "--data", data, "--label", "is_fraud", "--output", temp.File("next"), "--device", "cpu", "--iterations", "5", "--no-register");

        Assert.True(next.ExitCode == 0, next.Error);
        var ended = await client.GetRunAsync(abandoned.Info.RunId).DefaultTimeout();
        Assert.Equal(RunStatus.Failed, ended.Info.Status);
        Assert.NotNull(ended.Info.EndTime);
        var error = ended.Data.Tags.Single(t => t.Key == "mlops.error").Value;
        Assert.Contains($"pid {victim.Id}", error, StringComparison.Ordinal);
        Assert.Contains("killed or crashed", error, StringComparison.Ordinal);
        Assert.Contains($"ended run {abandoned.Info.RunId} as FAILED", next.Output, StringComparison.Ordinal);
    }

    private static Process StartTrainer(TrackingServerHost server, string data, string output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "mlops-trainer.dll"),
                "train", "--data", data, "--label", "is_fraud", "--output", output, "--device", "cpu",
                "--iterations", "2000", "--learning-rate", "0.01", "--early-stopping-rounds", "0",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["MLFLOW_TRACKING_URI"] = server.BaseAddress.ToString();
        var process = Process.Start(start)!;
        // Drained so a full pipe never blocks the trainer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<Run> WaitForRunningRunAsync(MlflowClient client)
    {
        while (true)
        {
            try
            {
                var experiment = await client.GetExperimentByNameAsync("fraud-detection");
                var runs = await client.SearchRunsAsync(new RunSearch { ExperimentIds = [experiment.ExperimentId] });
                if (runs.Items.FirstOrDefault(r => r.Info.Status == RunStatus.Running) is { } run)
                {
                    return run;
                }
            }
            catch (MlflowException e) when (e.IsNotFound)
            {
                // The trainer has not created the experiment yet.
            }

            await Task.Delay(100);
        }
    }
}
