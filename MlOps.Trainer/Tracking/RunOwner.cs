using System.Diagnostics;
using System.Globalization;
using MlOps.Mlflow;

namespace MlOps.Trainer.Tracking;

/// <summary>
/// Which process owns a run: its pid, host and start time go on the run when it is created, and a heartbeat tag is
/// refreshed while it lives, so a later trainer can tell a run whose trainer was killed from one still training.
/// </summary>
internal sealed class RunOwner : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beat;

    private RunOwner(MlflowClient client, string runId)
    {
        _beat = Task.Run(() => BeatAsync(client, runId, _stop.Token));
    }

    public static string Host => Environment.MachineName;

    public static long ProcessStartMilliseconds { get; } = StartOf(Environment.ProcessId) ?? 0;

    /// <summary>The tags a new run gets.</summary>
    public static IEnumerable<RunTag> Tags()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        yield return new RunTag(KnownTrainerTags.Pid, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        yield return new RunTag(KnownTrainerTags.Host, Host);
        yield return new RunTag(KnownTrainerTags.ProcessStart, ProcessStartMilliseconds.ToString(CultureInfo.InvariantCulture));
        yield return new RunTag(KnownTrainerTags.Heartbeat, now);
    }

    /// <summary>Keeps the run's heartbeat fresh until disposed.</summary>
    public static RunOwner Start(MlflowClient client, string runId) => new(client, runId);

    /// <summary>The start time (Unix ms) of a process on this host; null when there is no such process.</summary>
    public static long? StartOf(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _beat.ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task BeatAsync(MlflowClient client, string runId, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HeartbeatInterval, ct).ConfigureAwait(false);
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                await client.SetTagAsync(runId, KnownTrainerTags.Heartbeat, now, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is MlflowException or HttpRequestException or OperationCanceledException)
            {
                // A missed beat is harmless while the next one gets through; ten in a row mark the run abandoned.
            }
        }
    }
}
