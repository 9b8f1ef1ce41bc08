using System.Globalization;
using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;
using Npgsql;

namespace MlOps.Tracking.Registry;

/// <summary>
/// Registered models, versions, tags and aliases. Version numbers come from a per-model counter bumped in the same
/// transaction as the insert: concurrent creates queue on the model row and a rolled-back create leaves no gap.
/// </summary>
public sealed partial class RegistryStore(NpgsqlDataSource dataSource)
{
    private const string VersionColumns =
        "v.name, v.version, v.creation_timestamp, v.last_updated_timestamp, v.current_stage, v.description, v.source, v.run_id, v.status, v.run_link";

    public async Task<RegisteredModel> CreateModelAsync(string name, string? description, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Clock.NowMs();
        try
        {
            await connection.ExecuteAsync(
                "insert into registered_models (name, creation_timestamp, last_updated_timestamp, description) values ($1, $2, $2, $3)",
                cancellationToken, name, now, description ?? "");
        }
        catch (PostgresException e) when (e.SqlState == NpgsqlExtensions.UniqueViolation)
        {
            throw MlflowException.AlreadyExists($"Registered Model (name={name}) already exists.");
        }

        foreach (var tag in tags)
        {
            await connection.ExecuteAsync(
                "insert into registered_model_tags (name, key, value) values ($1, $2, $3) on conflict (name, key) do update set value = excluded.value",
                cancellationToken, name, tag.Key, tag.Value ?? "");
        }

        await transaction.CommitAsync(cancellationToken);
        return (await LoadModelsAsync(connection, [name], cancellationToken))[0];
    }

    public async Task<RegisteredModel> GetModelAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var models = await LoadModelsAsync(connection, [name], cancellationToken);
        return models.Count == 1 ? models[0] : throw ModelNotFound(name);
    }

    public async Task<SearchRegisteredModelsResponse> SearchModelsAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var maxResults = Require.MaxResults(request.MaxResults, 100, 1000);
        var offset = PageToken.Offset(request.PageToken);
        var sql = new SqlBuilder();
        var where = SearchFilter.Parse(request.Filter).Select(clause => clause.Entity switch
        {
            SearchFilter.Tags => $"exists (select 1 from registered_model_tags t where t.name = m.name and t.key = {sql.Add(clause.Key)} " +
                $"and t.value {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)})",
            SearchFilter.Attributes when clause.Key == "name" => $"m.name {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)}",
            _ => throw MlflowException.InvalidParameter($"Invalid filter on '{clause.Key}': registered models filter on name and tags."),
        }).Prepend("true");
        var order = OrderBy(request.OrderBy, "m", ["name", "creation_timestamp", "last_updated_timestamp"]).Append("m.name asc");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var names = await connection.ListAsync(
            $"select m.name from registered_models m where {string.Join(" and ", where)} order by {string.Join(", ", order)} limit {maxResults + 1} offset {offset}",
            r => r.GetString(0), cancellationToken, [.. sql.Parameters]);
        var models = await LoadModelsAsync(connection, [.. names.Take(maxResults)], cancellationToken);
        return new SearchRegisteredModelsResponse(models, PageToken.Next(offset, maxResults, names.Count > maxResults));
    }

    public async Task<ModelVersion> CreateVersionAsync(CreateModelVersionRequest request, CancellationToken cancellationToken)
    {
        var name = Require.NotEmpty(request.Name, "name");
        var source = ModelVersionSource.Validate(request.Source);
        var tags = Require.EntityTags(request.Tags);
        Require.MaxLength(request.RunId, "run_id", 32);
        Require.MaxLength(request.RunLink, "run_link", ModelVersionSource.MaxLength);
        Require.MaxLength(request.Description, "description", Require.MaxEntityTagValueLength);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Clock.NowMs();
        var version = await connection.ScalarAsync<int?>(
            "update registered_models set last_version = last_version + 1, last_updated_timestamp = $2 where name = $1 returning last_version",
            cancellationToken, name, now) ?? throw ModelNotFound(name);
        await connection.ExecuteAsync(
            """
            insert into model_versions (name, version, creation_timestamp, last_updated_timestamp, description, source, run_id, run_link)
            values ($1, $2, $3, $3, $4, $5, $6, $7)
            """,
            cancellationToken, name, version, now, request.Description ?? "", source, request.RunId ?? "", request.RunLink ?? "");
        foreach (var tag in tags)
        {
            await SetVersionTagAsync(connection, name, version, tag.Key!, tag.Value ?? "", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return await GetVersionAsync(connection, name, version, cancellationToken);
    }

    public async Task<ModelVersion> GetVersionAsync(string name, string? version, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetVersionAsync(connection, name, ParseVersion(version), cancellationToken);
    }

    public async Task<SearchModelVersionsResponse> SearchVersionsAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var maxResults = Require.MaxResults(request.MaxResults, 10000, 200000);
        var offset = PageToken.Offset(request.PageToken);
        var sql = new SqlBuilder();
        var where = SearchFilter.Parse(request.Filter).Select(clause => clause.Entity switch
        {
            SearchFilter.Tags => $"exists (select 1 from model_version_tags t where t.name = v.name and t.version = v.version " +
                $"and t.key = {sql.Add(clause.Key)} and t.value {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)})",
            SearchFilter.Attributes when clause.Key is "name" or "run_id" or "source" or "current_stage" =>
                $"v.{clause.Key} {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)}",
            SearchFilter.Attributes when clause.Key is "version_number" or "version" =>
                $"v.version {SqlBuilder.NumberComparator(clause)} {sql.Add(clause.Value)}",
            _ => throw MlflowException.InvalidParameter($"Invalid filter on '{clause.Key}': model versions filter on name, run_id, source, version_number and tags."),
        }).Prepend("true");
        var order = OrderBy(request.OrderBy, "v", ["name", "version", "creation_timestamp", "last_updated_timestamp"])
            .Append("v.name asc").Append("v.version desc");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var versions = await LoadVersionsAsync(
            connection, $"{string.Join(" and ", where)} order by {string.Join(", ", order)} limit {maxResults + 1} offset {offset}",
            cancellationToken, [.. sql.Parameters]);
        // MLflow's search leaves aliases out of the versions it lists (get and get-by-alias carry them).
        return new SearchModelVersionsResponse(
            [.. versions.Take(maxResults).Select(v => v with { Aliases = [] })], PageToken.Next(offset, maxResults, versions.Count > maxResults));
    }

    public async Task SetVersionTagAsync(string name, string? version, string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var number = ParseVersion(version);
        await GetVersionAsync(connection, name, number, cancellationToken);
        await SetVersionTagAsync(connection, name, number, key, value, cancellationToken);
    }

    public async Task<IReadOnlyList<ModelVersion>> LatestVersionsAsync(string name, IReadOnlyList<string>? stages, CancellationToken cancellationToken)
    {
        var model = await GetModelAsync(name, cancellationToken);
        return stages is { Count: > 0 }
            ? [.. model.LatestVersions.Where(v => stages.Contains(v.CurrentStage, StringComparer.OrdinalIgnoreCase))]
            : model.LatestVersions;
    }

    public async Task SetAliasAsync(string name, string alias, string? version, CancellationToken cancellationToken)
    {
        ValidateAlias(alias);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var number = ParseVersion(version);
        await GetVersionAsync(connection, name, number, cancellationToken);
        await connection.ExecuteAsync(
            "insert into registered_model_aliases (name, alias, version) values ($1, $2, $3) on conflict (name, alias) do update set version = excluded.version",
            cancellationToken, name, alias, number);
    }

    public async Task<ModelVersion> GetByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, name, cancellationToken);
        var version = await connection.ScalarAsync<int?>(
            "select version from registered_model_aliases where name = $1 and alias = $2", cancellationToken, name, alias)
            ?? throw MlflowException.InvalidParameter($"Registered model alias {alias} not found.");
        return await GetVersionAsync(connection, name, version, cancellationToken);
    }

    public async Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireModelAsync(connection, name, cancellationToken);
        await connection.ExecuteAsync("delete from registered_model_aliases where name = $1 and alias = $2", cancellationToken, name, alias);
    }

    internal static int ParseVersion(string? version) =>
        int.TryParse(Require.NotEmpty(version, "version"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw MlflowException.InvalidParameter($"Model version must be a positive integer, got '{version}'.");

    private static void ValidateAlias(string alias)
    {
        Require.MaxLength(alias, "alias", Require.MaxNameLength);

        // "latest" and "v<number>" already mean something in models:/ URIs.
        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase)
            || (alias.Length > 1 && alias[0] is 'v' or 'V' && alias[1..].All(char.IsAsciiDigit))
            || !alias.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
        {
            throw MlflowException.InvalidParameter($"Invalid alias name '{alias}'.");
        }
    }

    private static IEnumerable<string> OrderBy(IReadOnlyList<string>? orderBy, string table, string[] allowed) =>
        (orderBy ?? []).Select(term =>
        {
            var clause = SearchFilter.ParseOrderBy(term);
            var key = clause.Key == "timestamp" ? "creation_timestamp" : clause.Key;
            return clause.Entity == SearchFilter.Attributes && allowed.Contains(key)
                ? $"{table}.{key} {(clause.Ascending ? "asc" : "desc")}"
                : throw MlflowException.InvalidParameter($"Invalid order_by clause '{term}'.");
        }).ToList();

    private static async Task RequireModelAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        var exists = await connection.ScalarAsync<bool>("select exists (select 1 from registered_models where name = $1)", cancellationToken, name);
        if (!exists)
        {
            throw ModelNotFound(name);
        }
    }

    private static MlflowException ModelNotFound(string name) => MlflowException.NotFound($"Registered Model with name={name} not found");

    private static async Task SetVersionTagAsync(NpgsqlConnection connection, string name, int version, string key, string value, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(
            "insert into model_version_tags (name, version, key, value) values ($1, $2, $3, $4) on conflict (name, version, key) do update set value = excluded.value",
            cancellationToken, name, version, key, value);

    private static async Task<ModelVersion> GetVersionAsync(NpgsqlConnection connection, string name, int version, CancellationToken cancellationToken)
    {
        var found = await LoadVersionsAsync(connection, "v.name = $1 and v.version = $2", cancellationToken, name, version);
        return found.Count == 1
            ? found[0]
            : throw MlflowException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Model Version (name={name}, version={version}) not found"));
    }

    private static async Task<List<ModelVersion>> LoadVersionsAsync(
        NpgsqlConnection connection, string whereAndOrder, CancellationToken cancellationToken, params object?[] parameters)
    {
        var rows = await connection.ListAsync(
            $"select {VersionColumns} from model_versions v where {whereAndOrder}",
            r => (Name: r.GetString(0), Version: r.GetInt32(1), Created: r.GetInt64(2), Updated: r.GetInt64(3), Stage: r.GetString(4),
                Description: r.GetString(5), Source: r.GetString(6), RunId: r.GetString(7), Status: r.GetString(8), RunLink: r.GetString(9)),
            cancellationToken, parameters);
        if (rows.Count == 0)
        {
            return [];
        }

        var names = rows.Select(r => r.Name).Distinct().ToArray();
        var tags = (await connection.ListAsync(
            "select name, version, key, value from model_version_tags where name = any($1) order by seq",
            r => (Name: r.GetString(0), Version: r.GetInt32(1), Tag: new KeyValue(r.GetString(2), r.GetString(3))), cancellationToken, (object)names))
            .ToLookup(t => (t.Name, t.Version), t => t.Tag);
        var aliases = (await connection.ListAsync(
            "select name, version, alias from registered_model_aliases where name = any($1) order by alias",
            r => (Name: r.GetString(0), Version: r.GetInt32(1), Alias: r.GetString(2)), cancellationToken, (object)names))
            .ToLookup(a => (a.Name, a.Version), a => a.Alias);
        return [.. rows.Select(r => new ModelVersion(
            r.Name, r.Version.ToString(CultureInfo.InvariantCulture), r.Created, r.Updated, r.Stage, r.Description, r.Source, r.RunId, r.Status,
            [.. tags[(r.Name, r.Version)]], r.RunLink, [.. aliases[(r.Name, r.Version)]]))];
    }

    private static async Task<List<RegisteredModel>> LoadModelsAsync(NpgsqlConnection connection, string[] names, CancellationToken cancellationToken)
    {
        if (names.Length == 0)
        {
            return [];
        }

        var rows = await connection.ListAsync(
            "select name, creation_timestamp, last_updated_timestamp, description from registered_models where name = any($1)",
            r => (Name: r.GetString(0), Created: r.GetInt64(1), Updated: r.GetInt64(2), Description: r.GetString(3)), cancellationToken, (object)names);

        // The latest version of each stage, as get-latest-versions answers.
        var latest = (await LoadVersionsAsync(connection,
            "(v.name, v.current_stage, v.version) in (select name, current_stage, max(version) from model_versions where name = any($1) group by name, current_stage) order by v.version",
            cancellationToken, (object)names)).ToLookup(v => v.Name);
        var tags = (await connection.ListAsync(
            "select name, key, value from registered_model_tags where name = any($1) order by seq",
            r => (Name: r.GetString(0), Tag: new KeyValue(r.GetString(1), r.GetString(2))), cancellationToken, (object)names)).ToLookup(t => t.Name, t => t.Tag);
        var aliases = (await connection.ListAsync(
            "select name, alias, version from registered_model_aliases where name = any($1) order by alias",
            r => (Name: r.GetString(0), Alias: new ModelAlias(r.GetString(1), r.GetInt32(2).ToString(CultureInfo.InvariantCulture))), cancellationToken, (object)names))
            .ToLookup(a => a.Name, a => a.Alias);
        var byName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        return [.. names.Where(byName.ContainsKey).Select(n => byName[n]).Select(r => new RegisteredModel(
            r.Name, r.Created, r.Updated, r.Description, [.. latest[r.Name]], [.. tags[r.Name]], [.. aliases[r.Name]]))];
    }
}
