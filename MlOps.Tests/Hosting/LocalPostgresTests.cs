using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Tests.AppHost;
using MlOps.Tests.Infrastructure;
using Npgsql;

namespace MlOps.Tests.Hosting;

/// <summary>The local-PostgreSQL integration on its own, in a minimal Aspire app: the server binaries under Aspire's
/// orchestrator, initdb once, databases created when the server is ready with AddPostgres's connection strings.</summary>
[Collection(AppHostCollection.Name)]
public sealed class LocalPostgresTests
{
    [Fact]
    public async Task Server_InitialisesOnce_CreatesItsDatabases_AndKeepsThemAcrossRuns()
    {
        using var data = new AppHostDataDirectory();
        for (var run = 1; run <= 2; run++)
        {
            var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = [.. AspirePaths], DisableDashboard = true });
            var server = builder.AddLocalPostgres("pg").WithDataDirectory(Path.Combine(data.Path, "pg"));
            server.AddDatabase("appdb", "app_db");
            await using var app = builder.Build();
            await app.StartAsync().DefaultTimeout(TimeSpan.FromMinutes(3));
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync("appdb").DefaultTimeout(TimeSpan.FromMinutes(2));
            }
            catch (Exception ex) when (ex is TimeoutException or DistributedApplicationException)
            {
                var states = string.Join('\n', new[] { "pg", "appdb" }.Select(n => app.ResourceNotifications.TryGetCurrentState(n, out var e)
                    ? $"{n}: {e.Snapshot.State?.Text} exit={e.Snapshot.ExitCode} {e.Snapshot.HealthStatus} {string.Join(',', e.Snapshot.HealthReports.Select(h => $"{h.Name}={h.Status} {h.ExceptionText}"))}"
                    : $"{n}: no state"));
                throw new Xunit.Sdk.XunitException($"run {run}: appdb never healthy ({ex.Message}):\n{states}\n{await LogTailAsync(app, server.Resource)}");
            }

            var connectionString = (await app.GetConnectionStringAsync("appdb").DefaultTimeout())!;
            Assert.Matches("^Host=localhost;Port=[0-9]+;Username=postgres;Password=[^;]+;Database=app_db$", connectionString);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().DefaultTimeout();
            await using var command = new NpgsqlCommand(
                "create table if not exists kept (run int); insert into kept values (@run); select count(*) from kept", connection);
            command.Parameters.AddWithValue("run", run);
            Assert.Equal((long)run, await command.ExecuteScalarAsync().DefaultTimeout());
            await app.StopAsync().DefaultTimeout(TimeSpan.FromMinutes(1));
        }

        Assert.True(File.Exists(Path.Combine(data.Path, "pg", "data", "PG_VERSION")));
    }

    private static async Task<string> LogTailAsync(DistributedApplication app, IResource resource)
    {
        var lines = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resource).WithCancellation(cts.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException)
        {
            // What arrived in time.
        }

        return $"--- {resource.Name} log ---\n{string.Join('\n', lines.TakeLast(30))}";
    }

    // A model of the test's own, outside an AppHost project: Aspire's orchestrator is the one our AppHost was built with.
    private static IEnumerable<string> AspirePaths => typeof(Projects.MlOps_AppHost).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Where(a => a.Key is "dcpclipath" or "aspiredashboardpath")
        .Select(a => $"--DcpPublisher:{(a.Key == "dcpclipath" ? "CliPath" : "DashboardPath")}={a.Value}");
}
