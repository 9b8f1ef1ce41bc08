using System.Diagnostics;

namespace MlOps.Trainer.Training;

/// <summary>Runs one named stage of a training: a span, a duration metric and a line on the reporter.</summary>
internal sealed class StageRunner(ITrainingReporter reporter)
{
    public ITrainingReporter Reporter => reporter;

    public T Run<T>(string name, Func<T> work, Func<T, string>? summary = null)
    {
        using var activity = TrainerTelemetry.ActivitySource.StartActivity($"trainer.{name}");
        reporter.StageStarted(name);
        var clock = Stopwatch.StartNew();
        try
        {
            var result = work();
            TrainerTelemetry.StageDuration.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("stage", name));
            reporter.StageCompleted(name, clock.Elapsed, summary?.Invoke(result));
            return result;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }
}
