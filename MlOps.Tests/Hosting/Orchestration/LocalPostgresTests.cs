using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;
using Npgsql;

namespace MlOps.Tests.Hosting.Orchestration;

public sealed class LocalPostgresTests : IDisposable
{
    // Under /tmp and world-traversable: as root the server runs as the postgres user, which must reach its data folder.
    private readonly string _folder = Directory.CreateDirectory(Path.Combine("/tmp", $"mlops-orch-pg-{Guid.NewGuid():N}")).FullName;

    public LocalPostgresTests()
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_101_101);
        }
    }

    [Fact]
    public async Task Postgres_StartsHealthy_CreatesDatabase_AndStartsAgainAfterSigkill()
    {
        var firstPid = await RunOnceAsync(killWithSigkill: true);
        Assert.False(OrchestrationTestApp.IsAlive(firstPid));

        // Same data folder: the stale postmaster.pid of the killed server must not block this start.
        await RunOnceAsync(killWithSigkill: false);
        Assert.True(File.Exists(Path.Combine(_folder, "pg-data", "PG_VERSION")));
    }

    [Fact]
    public async Task Postgres_WithoutServerBinaries_FailsToStartWithInstallHint()
    {
        await using var test = new OrchestrationTestApp(_folder, "--AppHost:PostgresBinDirectory=/nonexistent");
        test.Builder.AddPostgres("pg").AddDatabase("appdb");

        await test.StartAsync();
        var failed = await test.WaitForStateAsync("pg", ResourceState.FailedToStart);
        var database = await test.WaitForStateAsync("appdb", ResourceState.FailedToStart);

        Assert.StartsWith("PostgreSQL server binaries not found: install postgresql (Debian: apt-get install postgresql-15;", failed.Reason);
        Assert.StartsWith("dependency 'pg' failed to start: PostgreSQL server binaries not found", database.Reason);
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<int> RunOnceAsync(bool killWithSigkill)
    {
        await using var test = new OrchestrationTestApp(_folder);
        var postgres = test.Builder.AddPostgres("pg");
        var database = postgres.AddDatabase("appdb", "app_db");
        test.AddBash("user", "sleep 300").WithReference(database).WaitFor(database);

        await test.StartAsync();
        await test.WaitForStateAsync("user", ResourceState.Running);
        var server = test.Notifications.Get("pg")!;
        Assert.Equal(ResourceHealthStatus.Healthy, server.Health);
        Assert.Contains(server.HealthReports, r => r is { Name: "postgres", Status: ResourceHealthStatus.Healthy });
        Assert.Equal(ResourceHealthStatus.Healthy, test.Notifications.Get("appdb")!.Health);
        Assert.Equal("pg", test.Notifications.Get("appdb")!.Parent);
        var user = test.Notifications.Get("user")!;
        Assert.True(user.Environment.Single(v => v.Name == "ConnectionStrings__appdb").IsSecret);

        var connectionString = await database.Resource.ConnectionStringExpression.GetValueAsync(ValueResolutionContext.Host, default).DefaultTimeout();
        await using (var connection = new NpgsqlConnection(connectionString + ";Pooling=false"))
        {
            await connection.OpenAsync().DefaultTimeout();
            await using var command = new NpgsqlCommand("select current_database()", connection);
            Assert.Equal("app_db", await command.ExecuteScalarAsync().DefaultTimeout());
        }

        var pid = server.ProcessId!.Value;
        if (killWithSigkill)
        {
            Assert.True(MlOps.Hosting.Orchestration.Runtime.ProcessTree.Signal(pid, MlOps.Hosting.Orchestration.Runtime.ProcessSignal.Kill));
            var exited = await test.WaitForStateAsync("pg", ResourceState.Exited);
            Assert.Equal(137, exited.ExitCode);
            await test.WaitForStateAsync("appdb", ResourceState.Exited);
        }

        await test.App.StopAsync().DefaultTimeout();
        Assert.False(OrchestrationTestApp.IsAlive(pid));
        return pid;
    }
}
