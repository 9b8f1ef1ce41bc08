using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MlOps.Serving.Model;
using Npgsql;
using NpgsqlTypes;
using OpenTelemetry;

namespace MlOps.Serving.Monitoring.Log;

/// <summary>
/// Writes the prediction log in batches with binary COPY, at most <see cref="PredictionLogOptions.BatchSize"/> rows every
/// <see cref="PredictionLogOptions.FlushInterval"/>, off the request path. Creates the table first (retrying while the database is not up yet). When the database fails,
/// the batch in hand is tried once more on a fresh connection, then dropped and counted; meanwhile the queue fills and
/// drops what does not fit, and the writer waits with backoff. One warning per outage, one line when it is back.
/// </summary>
public sealed partial class PredictionLogWriter(
    PredictionLog log,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<PredictionLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan s_initialDelay = TimeSpan.FromMilliseconds(200);
    private readonly PredictionLogOptions _settings = options.Value.Log;
    private readonly ArrayBufferWriter<byte> _json = new(512);
    private Utf8JsonWriter? _writer;
    private bool _down;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (log.DataSource is not { } dataSource)
        {
            return;
        }

        await Task.Yield();
        // Housekeeping, not requests: a trace per batch would bury the ones a user is looking for.
        using var quiet = SuppressInstrumentationScope.Begin();
        await EnsureSchemaAsync(dataSource, stoppingToken);
        var batch = new List<PredictionEvent>();
        var delay = s_initialDelay;
        // One batch per interval at most: the log costs the database a bounded load (BatchSize / FlushInterval rows a
        // second, 5,000 by default) however many predictions arrive; what waits longer than the queue holds is dropped.
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_settings.FlushInterval, time, stoppingToken);
            if (Drain(batch) == 0)
            {
                continue;
            }

            if (await TryWriteAsync(dataSource, batch, stoppingToken))
            {
                delay = s_initialDelay;
                continue;
            }

            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.RetryMaxDelay.Ticks));
        }
    }

    private async Task EnsureSchemaAsync(NpgsqlDataSource dataSource, CancellationToken stoppingToken)
    {
        var delay = s_initialDelay;
        while (true)
        {
            try
            {
                await PredictionLogSchema.EnsureAsync(dataSource, stoppingToken);
                log.SetState("on", null);
                ReportBack();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                ReportDown(e);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.RetryMaxDelay.Ticks));
            }
        }
    }

    private int Drain(List<PredictionEvent> batch)
    {
        batch.Clear();
        var rows = 0;
        while (rows < _settings.BatchSize && log.Queue.TryDequeue(out var prediction))
        {
            batch.Add(prediction);
            rows += prediction.Rows;
        }

        return rows;
    }

    private async Task<bool> TryWriteAsync(NpgsqlDataSource dataSource, List<PredictionEvent> batch, CancellationToken stoppingToken)
    {
        var rows = batch.Sum(p => p.Rows);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await WriteAsync(dataSource, batch, stoppingToken);
                log.Written(rows);
                ReportBack();
                return true;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A restarted server leaves dead connections in the pool: drop them, and try once more on a new one.
                dataSource.Clear();
                if (attempt == 0)
                {
                    continue;
                }

                log.DroppedByDatabase(rows);
                ReportDown(e);
                return false;
            }
        }
    }

    // Synchronous on purpose: this loop owns its thread while it writes, and per-field awaits would cost more than
    // the rows themselves (13 fields a row, thousands of rows a second).
    private Task WriteAsync(NpgsqlDataSource dataSource, List<PredictionEvent> batch, CancellationToken cancellationToken) => Task.Run(() =>
    {
        using var connection = dataSource.OpenConnection();
        using var copy = connection.BeginBinaryImport(
            $"copy {PredictionLogSchema.Table} ({PredictionLogSchema.Columns}) from stdin (format binary)");
        foreach (var prediction in batch)
        {
            for (var row = 0; row < prediction.Rows; row++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteRow(copy, prediction, row);
            }
        }

        copy.Complete();
    }, cancellationToken);

    private void WriteRow(NpgsqlBinaryImporter copy, PredictionEvent p, int row)
    {
        var info = p.Model.Info;
        copy.StartRow();
        copy.Write(p.RequestId, NpgsqlDbType.Uuid);
        copy.Write(row, NpgsqlDbType.Integer);
        copy.Write(p.Time.UtcDateTime, NpgsqlDbType.TimestampTz);
        copy.Write(info.Name, NpgsqlDbType.Text);
        copy.Write(info.Version, NpgsqlDbType.Text);
        copy.Write(p.Model.Threshold, NpgsqlDbType.Double);
        copy.Write(p.Probabilities[row], NpgsqlDbType.Real);
        copy.Write(p.Labels[row], NpgsqlDbType.Bigint);
        copy.Write(InputsJson(p, row), NpgsqlDbType.Jsonb);
        WriteOrNull(copy, p.TraceId == default ? null : p.TraceId.ToHexString(), NpgsqlDbType.Text);
        WriteOrNull(copy, p.ChallengerModel?.Version, NpgsqlDbType.Text);
        WriteOrNull(copy, p.ChallengerProbabilities?[row], NpgsqlDbType.Real);
        WriteOrNull(copy, p.ChallengerLabels?[row], NpgsqlDbType.Bigint);
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, type);
        }
    }

    // {"amount": 12.5, "merchant_category": "grocery", …}; a missing value is null.
    private string InputsJson(PredictionEvent p, int row)
    {
        _json.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(_json);
        writer.Reset(_json);
        writer.WriteStartObject();
        var schema = p.Model.Schema;
        for (var f = 0; f < schema.Count; f++)
        {
            var feature = schema.Features[f];
            writer.WritePropertyName(feature.Utf8Name);
            if (feature.IsCategorical)
            {
                WriteText(writer, p.Category(f, row));
            }
            else
            {
                WriteNumber(writer, p.Number(f, row));
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    private static void WriteText(Utf8JsonWriter writer, string value)
    {
        if (value.Length == 0)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    public override void Dispose()
    {
        _writer?.Dispose();
        base.Dispose();
    }

    private void ReportDown(Exception e)
    {
        var reason = Reasons.Of(e);
        log.SetState("unavailable", reason);
        if (!_down)
        {
            _down = true;
            LogDown(reason);
        }
    }

    private void ReportBack()
    {
        if (_down)
        {
            _down = false;
            log.SetState("on", null);
            LogBack(log.Status.DroppedDatabase + log.Status.DroppedQueueFull);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Prediction log: the database is unavailable; predictions go on, rows are dropped and counted until it is back: {Reason}")]
    private partial void LogDown(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Prediction log: the database is back ({Dropped} rows dropped so far)")]
    private partial void LogBack(long dropped);
}
