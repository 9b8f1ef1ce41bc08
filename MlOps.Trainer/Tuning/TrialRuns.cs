using System.Globalization;
using MlOps.Mlflow;
using MlOps.Trainer.Tracking;

namespace MlOps.Trainer.Tuning;

/// <summary>
/// Each trial as a nested MLflow run under the search's parent run (tag <c>mlflow.parentRunId</c>, which MLflow's
/// UI nests by): the trial's values as params, its validation figures as metrics, FINISHED, FAILED or KILLED.
/// The parent gets each trial's objective and the best so far as metrics stepped by trial number.
/// </summary>
internal sealed class TrialRuns(MlflowClient client, RunInfo parent)
{
    public async Task<string> StartAsync(int number, IReadOnlyDictionary<string, string> parameters, CancellationToken ct)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"trial-{number:D3}");
        var tags = new List<RunTag>
        {
            new(KnownMlflowTags.RunName, name),
            new(KnownTrainerTags.ParentRunId, parent.RunId),
            new(KnownMlflowTags.SourceName, "mlops-trainer tune"),
            new(KnownMlflowTags.SourceType, "LOCAL"),
            new(KnownMlflowTags.User, Environment.UserName),
        };
        tags.AddRange(RunOwner.Tags());
        var run = await client.CreateRunAsync(parent.ExperimentId, name, tags, userId: Environment.UserName, cancellationToken: ct).ConfigureAwait(false);
        await client.LogBatchAsync(run.Info.RunId,
            parameters: [.. parameters.Select(p => new Param(p.Key, p.Value)), new Param("trial", number.ToString(CultureInfo.InvariantCulture))],
            cancellationToken: ct).ConfigureAwait(false);
        return run.Info.RunId;
    }

    public async Task FinishAsync(string runId, Trial trial, double bestSoFar, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (trial.Succeeded)
        {
            await client.LogBatchAsync(runId, metrics:
            [
                new Metric("valid_pr_auc", trial.Objective, now),
                new Metric("valid_logloss", trial.ValidationLogLoss, now),
                new Metric("best_iteration", trial.BestIteration, now),
                new Metric("trial_seconds", trial.Seconds, now),
            ], cancellationToken: ct).ConfigureAwait(false);
            await client.SetTerminatedAsync(runId, RunStatus.Finished, cancellationToken: ct).ConfigureAwait(false);
        }
        else
        {
            await client.SetTagAsync(runId, KnownTrainerTags.Error, trial.Error!, ct).ConfigureAwait(false);
            await client.SetTerminatedAsync(runId, RunStatus.Failed, cancellationToken: ct).ConfigureAwait(false);
        }

        var parentMetrics = new List<Metric> { new("tune_best_valid_pr_auc", bestSoFar, now, trial.Number) };
        if (trial.Succeeded)
        {
            parentMetrics.Add(new Metric("tune_trial_valid_pr_auc", trial.Objective, now, trial.Number));
        }

        await client.LogBatchAsync(parent.RunId, metrics: parentMetrics, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>A trial cut short by Ctrl+C: KILLED, best effort (the user is waiting for the exit).</summary>
    public async Task KillAsync(string runId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await client.SetTagAsync(runId, KnownTrainerTags.Error, "cancelled (Ctrl+C) before the trial finished", timeout.Token).ConfigureAwait(false);
            await client.SetTerminatedAsync(runId, RunStatus.Killed, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MlflowException or HttpRequestException or OperationCanceledException)
        {
            // The abandoned-run sweep of the next training ends it if this did not get through.
        }
    }
}
