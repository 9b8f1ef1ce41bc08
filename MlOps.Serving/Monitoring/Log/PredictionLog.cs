using Microsoft.Extensions.Options;
using Npgsql;

namespace MlOps.Serving.Monitoring.Log;

/// <summary>
/// The prediction log's state: on when a database is configured (<c>ConnectionStrings:servingdb</c>, through
/// Aspire's Npgsql integration) and <c>Monitoring:Log:Enabled</c>; its bounded queue of rows waiting for the
/// database, and what became of every row (written, or dropped with the reason). <see cref="PredictionLogWriter"/>
/// does the writing.
/// </summary>
public sealed class PredictionLog
{
    private readonly MonitoringTelemetry _telemetry;
    private long _written;
    private long _droppedQueueFull;
    private long _droppedDatabase;
    private volatile string _state;
    private volatile string? _reason;

    public PredictionLog(IOptions<MonitoringOptions> options, IServiceProvider services, MonitoringTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _telemetry = telemetry;
        var settings = options.Value.Log;
        DataSource = settings.Enabled ? services.GetService<NpgsqlDataSource>() : null;
        Queue = new BoundedQueue<PredictionEvent>(settings.QueueCapacity);
        (_state, _reason) = DataSource is not null ? ("starting", "creating the table")
            : settings.Enabled ? ("off", "no database: set ConnectionStrings:servingdb (the AppHost gives serving one).")
            : ("off", "turned off (Monitoring:Log:Enabled=false).");
    }

    public bool Enabled => DataSource is not null;

    internal NpgsqlDataSource? DataSource { get; }

    internal BoundedQueue<PredictionEvent> Queue { get; }

    public PredictionLogStatus Status => new(_state, _reason, Interlocked.Read(ref _written), Interlocked.Read(ref _droppedQueueFull),
        Interlocked.Read(ref _droppedDatabase), Queue.Rows);

    /// <summary>Takes a monitored prediction for the database, or counts it dropped when the queue is full.</summary>
    internal void Enqueue(PredictionEvent prediction)
    {
        if (!Queue.TryEnqueue(prediction, prediction.Rows))
        {
            Interlocked.Add(ref _droppedQueueFull, prediction.Rows);
            _telemetry.Dropped("log_queue_full", prediction.Rows);
        }
    }

    internal void Written(long rows)
    {
        Interlocked.Add(ref _written, rows);
        _telemetry.Written(rows);
    }

    internal void DroppedByDatabase(long rows)
    {
        Interlocked.Add(ref _droppedDatabase, rows);
        _telemetry.Dropped("database_unavailable", rows);
    }

    internal void SetState(string state, string? reason) => (_state, _reason) = (state, reason);
}

/// <summary>
/// <c>GET /monitoring/log</c>: <c>off</c>, <c>starting</c>, <c>on</c> or <c>unavailable</c> (with the reason), rows
/// written, rows dropped because the queue was full or the database failed, and rows waiting.
/// </summary>
public sealed record PredictionLogStatus(string Status, string? Reason, long Written, long DroppedQueueFull, long DroppedDatabase, long Queued);
