using Npgsql;

namespace MlOps.Tracking.Data;

/// <summary>
/// Creates and upgrades the schema at startup. Idempotent, and safe when several instances start at once: the
/// whole check-and-apply runs under one PostgreSQL advisory lock, each script in its own transaction.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger) : IHostedService
{
    // Any constant shared by every instance of the server; "MLOPSTRK" as ASCII.
    private const long AdvisoryLockKey = 0x4D4C4F505354524B;

    public static int LatestVersion => Migrations.All.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A database that is still starting gets a short grace period; anything else fails the start at once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await MigrateAsync(dataSource, cancellationToken);
                LogMigrated(logger, applied, LatestVersion);
                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < 30)
            {
                LogWaiting(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Brings the database to the latest schema version; returns how many scripts it applied.</summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"select pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, "create table if not exists schema_version (version integer primary key, applied_at timestamptz not null default now())", cancellationToken);
            await using var current = new NpgsqlCommand("select coalesce(max(version), 0) from schema_version", connection);
            var version = (int)(await current.ExecuteScalarAsync(cancellationToken))!;
            var applied = 0;
            for (var next = version; next < Migrations.All.Count; next++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, Migrations.All[next], cancellationToken);
                await ExecuteAsync(connection, $"insert into schema_version (version) values ({next + 1})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                applied++;
            }

            return applied;
        }
        finally
        {
            await ExecuteAsync(connection, $"select pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema migrated: {Applied} script(s) applied, now at version {Version}")]
    private static partial void LogMigrated(ILogger logger, int applied, int version);
}
