using Microsoft.Extensions.Options;
using MlOps.Serving.Model;
using MlOps.Serving.Monitoring.Log;

namespace MlOps.Serving.Monitoring;

/// <summary>
/// The request path's only contact with monitoring: copy the answered rows into a <see cref="PredictionEvent"/> and
/// hand it to a bounded queue, or count it as dropped when the queue is full. Never waits, never locks, never throws
/// into the request. Off (nothing copied) when drift, the log and the shadow are all off.
/// </summary>
public sealed class PredictionMonitor
{
    private readonly BoundedQueue<PredictionEvent> _queue;
    private readonly TimeProvider _time;
    private readonly MonitoringTelemetry _telemetry;
    private long _dropped;

    public PredictionMonitor(IOptions<MonitoringOptions> options, PredictionLog log, ChallengerHost challenger, TimeProvider time,
        MonitoringTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(challenger);
        _queue = new BoundedQueue<PredictionEvent>(options.Value.QueueCapacity);
        _time = time;
        _telemetry = telemetry;
        LogEnabled = log.Enabled;
        Enabled = options.Value.Drift.Enabled || log.Enabled || challenger.Host is not null;
    }

    public bool Enabled { get; }

    /// <summary>Whether predictions are logged, so requests get an id to send feedback for.</summary>
    public bool LogEnabled { get; }

    /// <summary>Rows refused because the monitor was behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal BoundedQueue<PredictionEvent> Queue => _queue;

    /// <summary>Hands the answered rows to monitoring (a copy: the request's buffers are reused when it returns).</summary>
    public void Observe(Guid requestId, LoadedModel model, FeatureBatch batch, ModelScores scores)
    {
        if (!Enabled)
        {
            return;
        }

        var captured = PredictionEvent.Capture(requestId, _time.GetUtcNow(), model, batch, scores);
        if (!_queue.TryEnqueue(captured, captured.Rows))
        {
            Interlocked.Add(ref _dropped, captured.Rows);
            _telemetry.Dropped("monitor_queue_full", captured.Rows);
        }
    }
}
