using Npgsql;

namespace MlOps.Tracking.Data;

/// <summary>
/// Runs one unit of work in a transaction, again from the start when PostgreSQL aborted it as a deadlock victim
/// (40P01) or a serialization failure (40001): the work is written to take its row locks in key order, so these are
/// rare, but two writers racing on one run must never see them.
/// </summary>
internal static class Transactions
{
    public const int MaxAttempts = 6;
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    public static async Task RunAsync(NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task> work, CancellationToken cancellationToken) =>
        await RunAsync(dataSource, async connection =>
        {
            await work(connection);
            return true;
        }, cancellationToken);

    public static async Task<T> RunAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var result = await work(connection);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                // Jittered, growing pauses so the writers that collided do not collide again in step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20) * attempt), cancellationToken);
            }
        }
    }

    public static bool IsRetryable(PostgresException exception) =>
        exception.SqlState is SerializationFailure or DeadlockDetected;
}
