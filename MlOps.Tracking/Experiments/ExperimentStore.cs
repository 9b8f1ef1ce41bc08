using System.Globalization;
using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;
using Npgsql;

namespace MlOps.Tracking.Experiments;

public sealed class ExperimentStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "experiment_id, name, artifact_location, lifecycle_stage, last_update_time, creation_time";

    public async Task<long> CreateAsync(string name, string? artifactLocation, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        Require.MaxLength(artifactLocation, "artifact_location", 1000);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = Clock.NowMs();
        long id;
        try
        {
            id = await connection.ScalarAsync<long>(
                "insert into experiments (name, artifact_location, creation_time, last_update_time) values ($1, $2, $3, $3) returning experiment_id",
                cancellationToken, name, string.IsNullOrEmpty(artifactLocation) ? null : artifactLocation, now);
        }
        catch (PostgresException e) when (e.SqlState == NpgsqlExtensions.UniqueViolation)
        {
            throw MlflowException.AlreadyExists($"Experiment(name={name}) already exists.");
        }

        if (string.IsNullOrEmpty(artifactLocation))
        {
            await connection.ExecuteAsync("update experiments set artifact_location = $2 where experiment_id = $1", cancellationToken,
                id, string.Create(CultureInfo.InvariantCulture, $"mlflow-artifacts:/{id}"));
        }

        foreach (var tag in tags)
        {
            await connection.ExecuteAsync(
                "insert into experiment_tags (experiment_id, key, value) values ($1, $2, $3) on conflict (experiment_id, key) do update set value = excluded.value",
                cancellationToken, id, tag.Key, tag.Value ?? "");
        }

        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<Experiment?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"select {Columns} from experiments where experiment_id = $1", cancellationToken, id);
        return found.SingleOrDefault();
    }

    public async Task<Experiment?> GetByNameAsync(string name, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"select {Columns} from experiments where name = $1", cancellationToken, name);
        return found.SingleOrDefault();
    }

    public async Task SetTagAsync(long id, string key, string value, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireAsync(connection, id, cancellationToken);
        await connection.ExecuteAsync(
            "insert into experiment_tags (experiment_id, key, value) values ($1, $2, $3) on conflict (experiment_id, key) do update set value = excluded.value",
            cancellationToken, id, key, value);
    }

    public async Task RenameAsync(long id, string name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireAsync(connection, id, cancellationToken);
        try
        {
            await connection.ExecuteAsync(
                "update experiments set name = $2, last_update_time = $3 where experiment_id = $1", cancellationToken, id, name, Clock.NowMs());
        }
        catch (PostgresException e) when (e.SqlState == NpgsqlExtensions.UniqueViolation)
        {
            throw MlflowException.AlreadyExists($"Experiment(name={name}) already exists.");
        }
    }

    public async Task SetLifecycleStageAsync(long id, string stage, CancellationToken cancellationToken)
    {
        if (id == 0 && stage == "deleted")
        {
            throw MlflowException.InvalidParameter("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireAsync(connection, id, cancellationToken);
        await connection.ExecuteAsync(
            "update experiments set lifecycle_stage = $2, last_update_time = $3 where experiment_id = $1", cancellationToken, id, stage, Clock.NowMs());
        await connection.ExecuteAsync("update runs set lifecycle_stage = $2 where experiment_id = $1", cancellationToken, id, stage);
    }

    public async Task<SearchExperimentsResponse> SearchAsync(SearchExperimentsRequest request, CancellationToken cancellationToken)
    {
        var maxResults = Require.MaxResults(request.MaxResults, 1000, 50000);
        var offset = PageToken.Offset(request.PageToken);
        var sql = new SqlBuilder();
        var where = new List<string> { ViewTypes.Where(request.ViewType, "e.lifecycle_stage") };
        foreach (var clause in SearchFilter.Parse(request.Filter))
        {
            where.Add(Condition(clause, sql));
        }

        var order = new List<string>();
        foreach (var term in request.OrderBy ?? [])
        {
            var clause = SearchFilter.ParseOrderBy(term);
            var column = clause.Entity == SearchFilter.Attributes ? Attribute(clause.Key) : throw MlflowException.InvalidParameter($"Invalid order_by entity in '{term}'.");
            order.Add($"{column} {(clause.Ascending ? "asc" : "desc")}");
        }

        order.Add("e.creation_time desc");
        order.Add("e.experiment_id asc");
        var text = $"select {Columns} from experiments e where {string.Join(" and ", where)} order by {string.Join(", ", order)} " +
            $"limit {maxResults + 1} offset {offset}";
        var experiments = await QueryAsync(text, cancellationToken, [.. sql.Parameters]);
        var hasMore = experiments.Count > maxResults;
        return new SearchExperimentsResponse(
            [.. experiments.Take(maxResults)], PageToken.Next(offset, maxResults, hasMore));
    }

    private static async Task RequireAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        if (!await connection.ScalarAsync<bool>("select exists (select 1 from experiments where experiment_id = $1)", cancellationToken, id))
        {
            throw MlflowException.NotFound($"No Experiment with id={id} exists");
        }
    }

    private static string Condition(FilterClause clause, SqlBuilder sql) => clause.Entity switch
    {
        SearchFilter.Tags => $"exists (select 1 from experiment_tags t where t.experiment_id = e.experiment_id and t.key = {sql.Add(clause.Key)} " +
            $"and t.value {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)})",
        SearchFilter.Attributes when clause.Key is "creation_time" or "last_update_time" =>
            $"e.{clause.Key} {SqlBuilder.NumberComparator(clause)} {sql.Add(clause.Value)}",
        SearchFilter.Attributes => $"{Attribute(clause.Key)} {SqlBuilder.StringComparator(clause)} {sql.Add(clause.Value)}",
        _ => throw MlflowException.InvalidParameter($"Invalid entity '{clause.Entity}' in an experiment filter."),
    };

    private static string Attribute(string key) => key switch
    {
        "name" => "e.name",
        "experiment_id" => "e.experiment_id",
        "creation_time" => "e.creation_time",
        "last_update_time" => "e.last_update_time",
        _ => throw MlflowException.InvalidParameter($"Invalid attribute key '{key}' specified."),
    };

    private async Task<List<Experiment>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ListAsync(sql, r => (
            Id: r.GetInt64(0), Name: r.GetString(1), Location: r.NullableString(2), Stage: r.GetString(3), Updated: r.GetInt64(4), Created: r.GetInt64(5)),
            cancellationToken, parameters);
        if (rows.Count == 0)
        {
            return [];
        }

        var tags = await connection.ListAsync(
            "select experiment_id, key, value from experiment_tags where experiment_id = any($1) order by seq",
            r => (Id: r.GetInt64(0), Tag: new KeyValue(r.GetString(1), r.GetString(2))),
            cancellationToken, rows.Select(r => r.Id).ToArray());
        var byId = tags.ToLookup(t => t.Id, t => t.Tag);
        return [.. rows.Select(r => new Experiment(
            r.Id.ToString(CultureInfo.InvariantCulture), r.Name, r.Location, r.Stage, r.Updated, r.Created, [.. byId[r.Id]]))];
    }
}
