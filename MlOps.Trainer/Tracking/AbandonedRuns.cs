using System.Globalization;
using MlOps.Mlflow;

namespace MlOps.Trainer.Tracking;

/// <summary>
/// Ends the runs a dead trainer left RUNNING (SIGKILL, out of memory, a pulled plug): a run of this host whose
/// trainer process is gone (or whose pid now belongs to another process), or a run of another host (a container
/// that is gone) whose heartbeat stopped ten intervals ago. Each becomes FAILED with the reason in <c>mlops.error</c>.
/// Runs without the trainer's tags belong to other tools and are left alone.
/// </summary>
internal static class AbandonedRuns
{
    private static readonly TimeSpan s_staleAfter = RunOwner.HeartbeatInterval * 10;

    /// <summary>Ends the abandoned runs of the experiment; returns a sentence for each.</summary>
    public static async Task<IReadOnlyList<string>> EndAsync(MlflowClient client, string experimentId, CancellationToken ct)
    {
        var notes = new List<string>();
        var page = await client.SearchRunsAsync(new RunSearch
        {
            ExperimentIds = [experimentId],
            Filter = "attributes.status = 'RUNNING'",
            MaxResults = 1000,
        }, ct).ConfigureAwait(false);
        foreach (var run in page.Items)
        {
            var tags = run.Data.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
            if (Why(tags) is not { } reason)
            {
                continue;
            }

            await client.SetTagAsync(run.Info.RunId, KnownTrainerTags.Error, reason, ct).ConfigureAwait(false);
            await client.SetTerminatedAsync(run.Info.RunId, RunStatus.Failed, cancellationToken: ct).ConfigureAwait(false);
            notes.Add($"ended run {run.Info.RunId} as FAILED: {reason}");
        }

        return notes;
    }

    /// <summary>Why the run's trainer is known to be dead; null while it may be alive.</summary>
    internal static string? Why(IReadOnlyDictionary<string, string> tags)
    {
        if (!tags.TryGetValue(KnownTrainerTags.Pid, out var pidText) || !int.TryParse(pidText, CultureInfo.InvariantCulture, out var pid)
            || !tags.TryGetValue(KnownTrainerTags.Host, out var host))
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        if (host == RunOwner.Host)
        {
            var recordedStart = tags.TryGetValue(KnownTrainerTags.ProcessStart, out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var ms) ? ms : (long?)null;
            var actualStart = RunOwner.StartOf(pid);
            var alive = actualStart is { } started && (recordedStart is not { } recorded || Math.Abs(started - recorded) < 2000);
            return alive ? null : string.Create(CultureInfo.InvariantCulture,
                $"the trainer that ran it (pid {pid} on {host}) ended without finishing the run: killed or crashed; noticed by pid {Environment.ProcessId} at {now:u}");
        }

        if (tags.TryGetValue(KnownTrainerTags.Heartbeat, out var beat) && long.TryParse(beat, CultureInfo.InvariantCulture, out var beatMs)
            && now - DateTimeOffset.FromUnixTimeMilliseconds(beatMs) > s_staleAfter)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the trainer that ran it (pid {pid} on {host}) gave no sign of life since {DateTimeOffset.FromUnixTimeMilliseconds(beatMs):u}: killed or crashed; noticed by pid {Environment.ProcessId} on {RunOwner.Host}");
        }

        return null;
    }
}
