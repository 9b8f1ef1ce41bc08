using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;

namespace MlOps.Tracking.Registry;

/// <summary>Tag, description, stage and delete operations on registered models and versions.</summary>
public sealed partial class RegistryStore
{
    private static readonly string[] s_stages = ["None", "Staging", "Production", "Archived"];

    public async Task SetModelTagAsync(string name, string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, name, cancellationToken);
        await connection.ExecuteAsync(
            "insert into registered_model_tags (name, key, value) values ($1, $2, $3) on conflict (name, key) do update set value = excluded.value",
            cancellationToken, name, key, value);
    }

    public async Task DeleteModelTagAsync(string name, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, name, cancellationToken);
        await connection.ExecuteAsync("delete from registered_model_tags where name = $1 and key = $2", cancellationToken, name, key);
    }

    public async Task<RegisteredModel> UpdateModelAsync(string name, string? description, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            if (await connection.ExecuteAsync(
                "update registered_models set description = coalesce($2, description), last_updated_timestamp = $3 where name = $1",
                cancellationToken, name, description, Clock.NowMs()) == 0)
            {
                throw ModelNotFound(name);
            }
        }

        return await GetModelAsync(name, cancellationToken);
    }

    public async Task DeleteModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteAsync("delete from registered_models where name = $1", cancellationToken, name) == 0)
        {
            throw ModelNotFound(name);
        }
    }

    public async Task<ModelVersion> UpdateVersionAsync(string name, string? version, string? description, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var number = ParseVersion(version);
        await GetVersionAsync(connection, name, number, cancellationToken);
        await connection.ExecuteAsync(
            "update model_versions set description = coalesce($3, description), last_updated_timestamp = $4 where name = $1 and version = $2",
            cancellationToken, name, number, description, Clock.NowMs());
        return await GetVersionAsync(connection, name, number, cancellationToken);
    }

    public async Task DeleteVersionTagAsync(string name, string? version, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var number = ParseVersion(version);
        await GetVersionAsync(connection, name, number, cancellationToken);
        await connection.ExecuteAsync(
            "delete from model_version_tags where name = $1 and version = $2 and key = $3", cancellationToken, name, number, key);
    }

    public async Task DeleteVersionAsync(string name, string? version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var number = ParseVersion(version);
        await GetVersionAsync(connection, name, number, cancellationToken);

        // Numbers are never reused: the model's counter stays where it is.
        await connection.ExecuteAsync("delete from registered_model_aliases where name = $1 and version = $2", cancellationToken, name, number);
        await connection.ExecuteAsync("delete from model_versions where name = $1 and version = $2", cancellationToken, name, number);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ModelVersion> TransitionStageAsync(string name, string? version, string stage, bool archiveExisting, CancellationToken cancellationToken)
    {
        var canonical = s_stages.FirstOrDefault(s => s.Equals(stage, StringComparison.OrdinalIgnoreCase))
            ?? throw MlflowException.InvalidParameter($"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", s_stages)}.");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var number = ParseVersion(version);
        await GetVersionAsync(connection, name, number, cancellationToken);
        var now = Clock.NowMs();
        if (archiveExisting && canonical is "Staging" or "Production")
        {
            await connection.ExecuteAsync(
                "update model_versions set current_stage = 'Archived', last_updated_timestamp = $4 where name = $1 and version <> $2 and current_stage = $3",
                cancellationToken, name, number, canonical, now);
        }

        await connection.ExecuteAsync(
            "update model_versions set current_stage = $3, last_updated_timestamp = $4 where name = $1 and version = $2",
            cancellationToken, name, number, canonical, now);
        await transaction.CommitAsync(cancellationToken);
        return await GetVersionAsync(connection, name, number, cancellationToken);
    }
}
