using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MlOps.Hosting.LocalPostgres;

/// <summary>The databases of a local server: created when the server is ready, and in the server's state otherwise.</summary>
internal static class LocalPostgresDatabases
{
    /// <summary>Creates the missing databases, then marks each Running (its health check then gates its waiters).</summary>
    public static async Task CreateAsync(LocalPostgresServerResource server, string connectionString, IServiceProvider services, CancellationToken cancellationToken)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var database in services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
        {
            try
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {new NpgsqlCommandBuilder().QuoteIdentifier(database.DatabaseName)}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("Created database '{Database}'", database.DatabaseName);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Kept from an earlier run.
            }

            await notifications.PublishUpdateAsync(database, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                StopTimeStamp = null,
            }).ConfigureAwait(false);
        }
    }

    /// <summary>Until the AppHost stops: the server's failure or end is the database's too, so waiters fail at once.</summary>
    public static async Task FollowServerAsync(LocalPostgresDatabaseResource database, ResourceNotificationService notifications, IServiceProvider services)
    {
        var stopping = services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping).ConfigureAwait(false))
            {
                if (change.Resource != database.Parent || change.Snapshot.State?.Text is not { } state)
                {
                    continue;
                }

                if (KnownResourceStates.TerminalStates.Contains(state) || state == KnownResourceStates.Starting || state == KnownResourceStates.Waiting)
                {
                    await notifications.PublishUpdateAsync(database, s => s with
                    {
                        State = change.Snapshot.State,
                        StopTimeStamp = change.Snapshot.StopTimeStamp,
                    }).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
        catch (Exception ex)
        {
            services.GetRequiredService<ResourceLoggerService>().GetLogger(database).LogError(ex, "Lost track of '{Server}'", database.Parent.Name);
        }
    }
}
