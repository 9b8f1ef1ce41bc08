using MlOps.Tests.Infrastructure;
using MlOps.Tracking.Data;
using Npgsql;

namespace MlOps.Tests.Tracking;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrate_ConcurrentlyThenAgain_AppliesEachScriptOnce()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None))).DefaultTimeout();
        var again = await SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None).DefaultTimeout();

        Assert.Equal(SchemaMigrator.LatestVersion, applied.Sum());
        Assert.Equal(0, again);
        await using var command = dataSource.CreateCommand("select count(*) from schema_version");
        Assert.Equal((long)SchemaMigrator.LatestVersion, (long)(await command.ExecuteScalarAsync().DefaultTimeout())!);
    }

    [Fact]
    public async Task TwoServers_OnOneDatabase_BothStart()
    {
        await using var first = await TrackingServer.StartAsync(postgres);
        await using var dataSource = NpgsqlDataSource.Create(first.ConnectionString);
        Assert.Equal(0, await SchemaMigrator.MigrateAsync(dataSource, CancellationToken.None).DefaultTimeout());
        var experiment = await first.CreateExperimentAsync("shared");
        Assert.Equal("1", experiment);
    }
}
