using System.Diagnostics;
using MlOps.Mlflow;
using MlOps.Trainer.LightGbm;
using MlOps.Trainer.Training;

namespace MlOps.Trainer.Tracking;

/// <summary>
/// Passes progress on to the console reporter and streams each iteration's validation metrics to the run. It also
/// notes the trace id of the pipeline's <c>train</c> span, which only exists inside the pipeline.
/// </summary>
internal sealed class TrackingReporter(ITrainingReporter inner, MetricStream metrics) : ITrainingReporter
{
    public string? TraceId { get; private set; }

    public void StageStarted(string stage)
    {
        TraceId ??= Activity.Current is { } activity ? activity.TraceId.ToHexString() : null;
        inner.StageStarted(stage);
    }

    public void StageCompleted(string stage, TimeSpan elapsed, string? summary = null) => inner.StageCompleted(stage, elapsed, summary);

    public void Info(string message) => inner.Info(message);

    public void Warning(string message) => inner.Warning(message);

    public void Iteration(IterationMetrics iteration, int maxIterations)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        metrics.Add(new Metric("valid_logloss", iteration.ValidationLogLoss, now, iteration.Iteration));
        // AUC and PR-AUC are computed every few iterations on large validation sets; the rest carry NaN.
        if (!double.IsNaN(iteration.ValidationAveragePrecision))
        {
            metrics.Add(new Metric("valid_auc", iteration.ValidationAuc, now, iteration.Iteration));
            metrics.Add(new Metric("valid_pr_auc", iteration.ValidationAveragePrecision, now, iteration.Iteration));
        }
        inner.Iteration(iteration, maxIterations);
    }
}
