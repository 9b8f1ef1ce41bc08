using Microsoft.Extensions.Options;
using MlOps.Serving.Model;
using Npgsql;
using OpenTelemetry;

namespace MlOps.Serving.Monitoring.Log;

/// <summary>
/// Deletes prediction log rows older than <see cref="PredictionLogOptions.RetentionDays"/>, every
/// <see cref="PredictionLogOptions.RetentionInterval"/>, in chunks so no statement holds the table long. Says so only
/// when it deleted something; a failure is logged and tried again next time.
/// </summary>
public sealed partial class RetentionService(
    PredictionLog log,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private const int Chunk = 10_000;
    private readonly PredictionLogOptions _settings = options.Value.Log;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (log.DataSource is not { } dataSource || _settings.RetentionDays <= 0)
        {
            return;
        }

        await Task.Yield();
        using var quiet = SuppressInstrumentationScope.Begin();
        // The writer creates the table; until then there is nothing to delete.
        while (log.Status.Status == "starting")
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
        }

        using var timer = new PeriodicTimer(_settings.RetentionInterval, time);
        do
        {
            try
            {
                var deleted = await DeleteExpiredAsync(dataSource, time.GetUtcNow().AddDays(-_settings.RetentionDays), stoppingToken);
                if (deleted > 0)
                {
                    LogDeleted(deleted, _settings.RetentionDays);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(Reasons.Of(e));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes the rows predicted before <paramref name="before"/>; returns how many.</summary>
    public static async Task<long> DeleteExpiredAsync(NpgsqlDataSource dataSource, DateTimeOffset before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(
                $"""
                delete from {PredictionLogSchema.Table} where ctid in
                    (select ctid from {PredictionLogSchema.Table} where predicted_at < $1 limit {Chunk})
                """);
            command.Parameters.AddWithValue(before.UtcDateTime);
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < Chunk)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prediction log: deleted {Rows} rows older than {Days} days")]
    private partial void LogDeleted(long rows, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Prediction log retention failed; tried again at the next interval: {Reason}")]
    private partial void LogFailed(string reason);
}
