using Microsoft.Extensions.Options;
using MlOps.Serving.Model;
using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Monitoring.Log;
using MlOps.Serving.Monitoring.Shadow;

namespace MlOps.Serving.Monitoring;

/// <summary>
/// The one reader of <see cref="PredictionMonitor"/>'s queue: every few milliseconds it drains what the requests
/// handed over, bins it into the drift window, scores the challenger on it in one batch, and passes it to the
/// prediction log's queue; every <see cref="DriftOptions.Interval"/> it publishes drift and shadow figures. Runs on
/// its own, so a slow database or a slow challenger never reaches a request; a failure is logged and the loop goes on.
/// </summary>
internal sealed partial class MonitoringService(
    PredictionMonitor monitor,
    DriftMonitor drift,
    PredictionLog log,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<MonitoringService> logger,
    MonitoringTelemetry telemetry,
    ShadowScorer shadow) : BackgroundService
{
    private static readonly TimeSpan s_drainInterval = TimeSpan.FromMilliseconds(20);
    private const int MaxRowsPerDrain = 20_000;
    private readonly List<PredictionEvent> _drained = [];
    private string? _lastError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!monitor.Enabled)
        {
            return;
        }

        await Task.Yield();
        var interval = options.Value.Drift.Interval;
        var nextCompute = time.GetUtcNow() + interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(s_drainInterval, time, stoppingToken);
            Guard(DrainOnce);
            if (time.GetUtcNow() >= nextCompute)
            {
                nextCompute = time.GetUtcNow() + interval;
                Guard(drift.Compute);
                Guard(shadow.Compute);
            }
        }
    }

    private void DrainOnce()
    {
        _drained.Clear();
        var rows = 0;
        while (rows < MaxRowsPerDrain && monitor.Queue.TryDequeue(out var prediction))
        {
            _drained.Add(prediction);
            rows += prediction.Rows;
        }

        if (_drained.Count == 0)
        {
            return;
        }

        foreach (var prediction in _drained)
        {
            drift.Add(prediction);
        }

        var before = shadow.RowsScored;
        // The challenger's answers ride along to the log, so the shadow runs before the rows are handed over.
        Guard(() => shadow.Score(_drained));
        telemetry.ShadowScored(shadow.RowsScored - before);
        if (log.Enabled)
        {
            foreach (var prediction in _drained)
            {
                log.Enqueue(prediction);
            }
        }
    }

    // One bad batch (a challenger that throws, a reference that does not fit) costs that batch, never the loop.
    private void Guard(Action step)
    {
        try
        {
            step();
        }
        catch (Exception e)
        {
            var reason = Reasons.Of(e);
            if (reason != _lastError)
            {
                _lastError = reason;
                LogFailed(reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring skipped a batch; predictions are not affected: {Reason}")]
    private partial void LogFailed(string reason);
}
