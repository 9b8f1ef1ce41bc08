using System.Globalization;
using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;
using Npgsql;

namespace MlOps.Tracking.Runs;

public sealed class RunStore(NpgsqlDataSource dataSource)
{
    internal const string RunNameTag = "mlflow.runName";
    private const string InfoColumns = "run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage";

    public async Task<Run> CreateAsync(CreateRunRequest request, CancellationToken cancellationToken)
    {
        var experimentId = request.ExperimentId is null ? 0 : Require.ExperimentId(request.ExperimentId);
        var tags = Require.Items(request.Tags, "tags").ToList();
        for (var i = 0; i < tags.Count; i++)
        {
            RunValidation.Tag(tags[i], $"tags[{i}]");
        }

        Require.MaxLength(request.UserId, "user_id", RunValidation.MaxKeyLength);
        var runName = RunValidation.RunName(!string.IsNullOrEmpty(request.RunName)
            ? request.RunName
            : tags.LastOrDefault(t => t.Key == RunNameTag)?.Value is { Length: > 0 } tagged ? tagged : $"run-{Guid.NewGuid().ToString("N")[..8]}");
        tags.RemoveAll(t => t.Key == RunNameTag);
        tags.Add(new KeyValue(RunNameTag, runName));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var experiment = await connection.ListAsync(
            "select artifact_location, lifecycle_stage from experiments where experiment_id = $1",
            r => (Location: r.NullableString(0), Stage: r.GetString(1)), cancellationToken, experimentId);
        if (experiment.Count == 0)
        {
            throw MlflowException.NotFound($"No Experiment with id={experimentId} exists");
        }

        if (experiment[0].Stage != "active")
        {
            throw new MlflowException(KnownErrorCodes.InvalidState, $"The experiment {experimentId} must be in the 'active' state.");
        }

        var runId = Guid.NewGuid().ToString("N");
        var artifactUri = $"{(experiment[0].Location ?? string.Create(CultureInfo.InvariantCulture, $"mlflow-artifacts:/{experimentId}")).TrimEnd('/')}/{runId}/artifacts";
        await connection.ExecuteAsync(
            "insert into runs (run_uuid, experiment_id, run_name, user_id, status, start_time, artifact_uri) values ($1, $2, $3, $4, 'RUNNING', $5, $6)",
            cancellationToken, runId, experimentId, runName, request.UserId ?? "", request.StartTime ?? Clock.NowMs(), artifactUri);
        foreach (var tag in tags)
        {
            await connection.ExecuteAsync(
                "insert into tags (run_uuid, key, value) values ($1, $2, $3) on conflict (run_uuid, key) do update set value = excluded.value",
                cancellationToken, runId, tag.Key, tag.Value ?? "");
        }

        await transaction.CommitAsync(cancellationToken);
        return (await GetAsync(runId, cancellationToken))!;
    }

    public async Task<Run?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var runs = await LoadAsync(connection, [runId], cancellationToken);
        return runs.SingleOrDefault();
    }

    public async Task<RunInfo> UpdateAsync(UpdateRunRequest request, string runId, CancellationToken cancellationToken)
    {
        var status = request.Status is null ? null : RunValidation.Status(request.Status);
        var runName = string.IsNullOrEmpty(request.RunName) ? null : RunValidation.RunName(request.RunName);

        // The run row first, then its tag: the order log-batch takes them in when it renames a run.
        await Transactions.RunAsync(dataSource, async connection =>
        {
            var updated = await connection.ExecuteAsync(
                "update runs set status = coalesce($2, status), end_time = coalesce($3, end_time), run_name = coalesce($4, run_name) where run_uuid = $1",
                cancellationToken, runId, status, request.EndTime, runName);
            if (updated == 0)
            {
                throw RunNotFound(runId);
            }

            if (runName is not null)
            {
                await connection.ExecuteAsync(
                    "insert into tags (run_uuid, key, value) values ($1, $2, $3) on conflict (run_uuid, key) do update set value = excluded.value",
                    cancellationToken, runId, RunNameTag, runName);
            }
        }, cancellationToken);
        return (await GetAsync(runId, cancellationToken) ?? throw RunNotFound(runId)).Info;
    }

    public async Task SetLifecycleStageAsync(string runId, string stage, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteAsync("update runs set lifecycle_stage = $2 where run_uuid = $1", cancellationToken, runId, stage) == 0)
        {
            throw RunNotFound(runId);
        }
    }

    public async Task DeleteTagAsync(string runId, string key, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireRunAsync(connection, runId, cancellationToken);
        if (await connection.ExecuteAsync("delete from tags where run_uuid = $1 and key = $2", cancellationToken, runId, key) == 0)
        {
            throw MlflowException.NotFound($"No tag with name: {key} in run with id {runId}");
        }
    }

    public async Task<SearchRunsResponse> SearchAsync(SearchRunsRequest request, CancellationToken cancellationToken)
    {
        var maxResults = Require.MaxResults(request.MaxResults, 1000, 50000);
        var offset = PageToken.Offset(request.PageToken);
        var experimentIds = (request.ExperimentIds ?? []).Select(id => Require.ExperimentId(id, "experiment_ids")).ToArray();
        var query = RunSearchQuery.Build(experimentIds, request.Filter, request.RunViewType, request.OrderBy, maxResults + 1, offset);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.ListAsync(query.Sql, r => r.GetString(0), cancellationToken, [.. query.Parameters]);
        var hasMore = ids.Count > maxResults;
        var runs = await LoadAsync(connection, [.. ids.Take(maxResults)], cancellationToken);
        return new SearchRunsResponse(runs, PageToken.Next(offset, maxResults, hasMore));
    }

    public async Task<IReadOnlyList<Metric>> GetMetricHistoryAsync(string runId, string metricKey, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await RequireRunAsync(connection, runId, cancellationToken);
        return await connection.ListAsync(
            "select key, value, timestamp, step from metrics where run_uuid = $1 and key = $2 order by step, timestamp, seq",
            r => new Metric(r.GetString(0), r.GetDouble(1), r.GetInt64(2), r.GetInt64(3)), cancellationToken, runId, metricKey);
    }

    /// <summary>Locks nothing; answers the run's experiment id or RESOURCE_DOES_NOT_EXIST.</summary>
    internal static async Task<long> RequireRunAsync(NpgsqlConnection connection, string runId, CancellationToken cancellationToken)
    {
        var experiment = await connection.ListAsync(
            "select experiment_id from runs where run_uuid = $1", r => r.GetInt64(0), cancellationToken, runId);
        return experiment.Count == 1 ? experiment[0] : throw RunNotFound(runId);
    }

    internal static MlflowException RunNotFound(string runId) => MlflowException.NotFound($"Run with id={runId} not found");

    private static async Task<List<Run>> LoadAsync(NpgsqlConnection connection, string[] runIds, CancellationToken cancellationToken)
    {
        if (runIds.Length == 0)
        {
            return [];
        }

        var infos = await connection.ListAsync($"select {InfoColumns} from runs where run_uuid = any($1)", ReadInfo, cancellationToken, (object)runIds);
        var metrics = (await connection.ListAsync(
            "select run_uuid, key, value, timestamp, step from latest_metrics where run_uuid = any($1) order by seq",
            r => (Run: r.GetString(0), Metric: new Metric(r.GetString(1), r.GetDouble(2), r.GetInt64(3), r.GetInt64(4))),
            cancellationToken, (object)runIds)).ToLookup(m => m.Run, m => m.Metric);
        var parameters = (await connection.ListAsync(
            "select run_uuid, key, value from params where run_uuid = any($1) order by seq",
            r => (Run: r.GetString(0), Param: new KeyValue(r.GetString(1), r.GetString(2))), cancellationToken, (object)runIds))
            .ToLookup(p => p.Run, p => p.Param);
        var tags = (await connection.ListAsync(
            "select run_uuid, key, value from tags where run_uuid = any($1) order by seq",
            r => (Run: r.GetString(0), Tag: new KeyValue(r.GetString(1), r.GetString(2))), cancellationToken, (object)runIds))
            .ToLookup(t => t.Run, t => t.Tag);
        var inputs = await RunInputsReader.ReadAsync(connection, runIds, cancellationToken);
        var byId = infos.ToDictionary(i => i.RunId, StringComparer.Ordinal);
        return [.. runIds.Where(byId.ContainsKey).Select(id => new Run(
            byId[id],
            new RunData([.. metrics[id]], [.. parameters[id]], [.. tags[id]]),
            inputs.TryGetValue(id, out var datasetInputs) ? new RunInputs(datasetInputs) : null))];
    }

    private static RunInfo ReadInfo(NpgsqlDataReader r)
    {
        var runId = r.GetString(0);
        return new RunInfo(
            runId, r.GetInt64(1).ToString(CultureInfo.InvariantCulture), r.GetString(2), r.GetString(3) is { Length: > 0 } user ? user : null,
            r.GetString(4), r.GetInt64(5), r.NullableInt64(6), r.GetString(7), r.GetString(8), runId);
    }
}
