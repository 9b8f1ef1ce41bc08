using Microsoft.Extensions.Options;
using MlOps.Serving.Model;
using MlOps.Serving.Monitoring.Log;
using Npgsql;
using OpenTelemetry;

namespace MlOps.Serving.Monitoring.Quality;

/// <summary>
/// Computes live quality from the prediction log: every <see cref="QualityOptions.Interval"/> when predictions or
/// feedback arrived since the last time (and at once after feedback), it reads the labelled predictions of the
/// window and publishes precision, recall, PR-AUC and the label rate per model version, production and challenger
/// side by side. A failed read keeps the last figures and says why.
/// </summary>
public sealed partial class QualityMonitor(
    PredictionLog log,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<QualityMonitor> logger) : BackgroundService
{
    private readonly QualityOptions _settings = options.Value.Quality;
    private readonly SemaphoreSlim _feedback = new(0, 1);
    private volatile QualitySnapshot _snapshot = log.Enabled
        ? new QualitySnapshot("starting", "no figures computed yet.", options.Value.Quality.Window, null, [])
        : QualitySnapshot.Off("the prediction log is off, so there is no feedback to measure with.", options.Value.Quality.Window);
    private string? _lastError;

    public QualitySnapshot Snapshot => _snapshot;

    /// <summary>Feedback arrived: compute soon.</summary>
    public void Signal()
    {
        if (_feedback.CurrentCount == 0)
        {
            try
            {
                _feedback.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (log.DataSource is not { } dataSource)
        {
            return;
        }

        await Task.Yield();
        using var quiet = SuppressInstrumentationScope.Begin();
        long lastWritten = -1;
        var lastComputed = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var signalled = await _feedback.WaitAsync(_settings.Interval, stoppingToken);
            var written = log.Status.Written;
            var stale = time.GetUtcNow() - lastComputed > _settings.Interval * 10;
            if (!signalled && written == lastWritten && !stale)
            {
                continue;
            }

            if (await TryComputeAsync(dataSource, stoppingToken))
            {
                (lastWritten, lastComputed) = (written, time.GetUtcNow());
            }
        }
    }

    private async Task<bool> TryComputeAsync(NpgsqlDataSource dataSource, CancellationToken stoppingToken)
    {
        try
        {
            var since = time.GetUtcNow() - _settings.Window;
            var models = await QualityQueries.ReadAsync(dataSource, since, _settings.MaxRows, stoppingToken);
            _snapshot = new QualitySnapshot("on", null, _settings.Window, time.GetUtcNow(), models);
            _lastError = null;
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            var reason = Reasons.Of(e);
            _snapshot = _snapshot with { Status = "stale", Reason = reason };
            if (reason != _lastError)
            {
                _lastError = reason;
                LogFailed(reason);
            }

            return false;
        }
    }

    public override void Dispose()
    {
        _feedback.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live quality could not be computed; the last figures stay: {Reason}")]
    private partial void LogFailed(string reason);
}
