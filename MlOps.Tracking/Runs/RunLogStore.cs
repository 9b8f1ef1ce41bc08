using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace MlOps.Tracking.Runs;

/// <summary>
/// Writes logged data. A batch is all or nothing: validated first, then written in one transaction that a param
/// conflict rolls back. Metric rows go in with one array insert; latest values, params and tags are written in key
/// order so writers on one run cannot deadlock (and a transaction PostgreSQL aborts anyway is run again).
/// </summary>
public sealed class RunLogStore(NpgsqlDataSource dataSource)
{
    public async Task LogBatchAsync(
        string runId, IReadOnlyList<Metric> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        RunValidation.Batch(metrics, parameters, tags);

        // Every writer takes its row locks in the same order: the run (only when the batch renames it), then params
        // and tags by key. Retried as a whole if PostgreSQL still picks it as a deadlock victim.
        var renames = tags.Any(t => t.Key == RunStore.RunNameTag);
        await Transactions.RunAsync(dataSource, async connection =>
        {
            await RequireActiveRunAsync(connection, runId, lockRun: renames, cancellationToken);
            if (metrics.Count > 0)
            {
                await InsertMetricsAsync(connection, runId, metrics, cancellationToken);
            }

            if (parameters.Count > 0)
            {
                await InsertParamsAsync(connection, runId, parameters, cancellationToken);
            }

            if (tags.Count > 0)
            {
                await UpsertTagsAsync(connection, runId, tags, cancellationToken);
            }
        }, cancellationToken);
    }

    public async Task LogInputsAsync(string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        for (var i = 0; i < datasets.Count; i++)
        {
            var dataset = datasets[i].Dataset ?? throw MlflowException.Missing($"datasets[{i}].dataset");
            // MLflow's limits: name 500, digest and source type 36 characters; input tags 255 and 500.
            Require.Text(dataset.Name, $"datasets[{i}].dataset.name", 500);
            Require.Text(dataset.Digest, $"datasets[{i}].dataset.digest", 36);
            Require.Text(dataset.SourceType, $"datasets[{i}].dataset.source_type", 36);
            Require.NotEmpty(dataset.Source, $"datasets[{i}].dataset.source");
            var tags = Require.Items(datasets[i].Tags, $"datasets[{i}].tags");
            for (var t = 0; t < tags.Count; t++)
            {
                Require.Text(tags[t].Key, $"datasets[{i}].tags[{t}].key", 255);
                Require.MaxLength(tags[t].Value, $"datasets[{i}].tags[{t}].value", 500);
            }
        }

        await Transactions.RunAsync(dataSource, connection => InsertInputsAsync(connection, runId, datasets, cancellationToken), cancellationToken);
    }

    private static async Task InsertInputsAsync(NpgsqlConnection connection, string runId, IReadOnlyList<DatasetInput> datasets, CancellationToken cancellationToken)
    {
        var experimentId = await RequireActiveRunAsync(connection, runId, lockRun: false, cancellationToken);
        foreach (var input in datasets)
        {
            var d = input.Dataset!;
            var datasetId = await connection.ScalarAsync<string>(
                """
                insert into datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                on conflict (experiment_id, name, digest) do update set source_type = datasets.source_type
                returning dataset_uuid
                """,
                cancellationToken, Guid.NewGuid().ToString("N"), experimentId, d.Name, d.Digest, d.SourceType, d.Source, d.Schema, d.Profile);
            await connection.ExecuteAsync(
                "insert into inputs (run_uuid, dataset_uuid) values ($1, $2) on conflict do nothing", cancellationToken, runId, datasetId);
            foreach (var tag in input.Tags ?? [])
            {
                await connection.ExecuteAsync(
                    "insert into input_tags (run_uuid, dataset_uuid, key, value) values ($1, $2, $3, $4) on conflict (run_uuid, dataset_uuid, key) do update set value = excluded.value",
                    cancellationToken, runId, datasetId, tag.Key, tag.Value ?? "");
            }
        }
    }

    private static async Task<long> RequireActiveRunAsync(NpgsqlConnection connection, string runId, bool lockRun, CancellationToken cancellationToken)
    {
        var run = await connection.ListAsync(
            $"select experiment_id, lifecycle_stage from runs where run_uuid = $1{(lockRun ? " for no key update" : "")}",
            r => (Experiment: r.GetInt64(0), Stage: r.GetString(1)),
            cancellationToken, runId);
        if (run.Count == 0)
        {
            throw RunStore.RunNotFound(runId);
        }

        return run[0].Stage == "active"
            ? run[0].Experiment
            : throw MlflowException.InvalidParameter($"The run {runId} must be in the 'active' state. Current state is {run[0].Stage}.");
    }

    private static async Task InsertMetricsAsync(NpgsqlConnection connection, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(
            "insert into metrics (run_uuid, key, value, timestamp, step) select $1, k, v, t, s from unnest($2::text[], $3::float8[], $4::int8[], $5::int8[]) as x(k, v, t, s)",
            cancellationToken, runId, metrics.Select(m => m.Key!).ToArray(), metrics.Select(m => m.Value!.Value).ToArray(),
            metrics.Select(m => m.Timestamp!.Value).ToArray(), metrics.Select(m => m.Step ?? 0).ToArray());

        // The latest value of a key is the one with the highest (step, timestamp, value), as in MLflow.
        var latest = metrics.GroupBy(m => m.Key!, StringComparer.Ordinal)
            .Select(g => g.MaxBy(m => (m.Step ?? 0, m.Timestamp!.Value, m.Value!.Value))!)
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .ToList();
        await connection.ExecuteAsync(
            """
            insert into latest_metrics (run_uuid, key, value, timestamp, step)
            select $1, k, v, t, s from unnest($2::text[], $3::float8[], $4::int8[], $5::int8[]) as x(k, v, t, s)
            on conflict (run_uuid, key) do update set value = excluded.value, timestamp = excluded.timestamp, step = excluded.step
            where (excluded.step, excluded.timestamp, excluded.value) >= (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
            """,
            cancellationToken, runId, latest.Select(m => m.Key!).ToArray(), latest.Select(m => m.Value!.Value).ToArray(),
            latest.Select(m => m.Timestamp!.Value).ToArray(), latest.Select(m => m.Step ?? 0).ToArray());
    }

    private static async Task InsertParamsAsync(NpgsqlConnection connection, string runId, IReadOnlyList<KeyValue> parameters, CancellationToken cancellationToken)
    {
        var distinct = parameters.DistinctBy(p => p.Key, StringComparer.Ordinal).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        var keys = distinct.Select(p => p.Key!).ToArray();
        await connection.ExecuteAsync(
            "insert into params (run_uuid, key, value) select $1, k, v from unnest($2::text[], $3::text[]) with ordinality as x(k, v, n) order by n on conflict do nothing",
            cancellationToken, runId, keys, distinct.Select(p => p.Value!).ToArray());
        var stored = await connection.ListAsync(
            "select key, value from params where run_uuid = $1 and key = any($2)", r => (Key: r.GetString(0), Value: r.GetString(1)),
            cancellationToken, runId, new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var values = stored.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var changed = distinct.FirstOrDefault(p => values[p.Key!] != p.Value);
        if (changed is not null)
        {
            // Throwing disposes the transaction uncommitted: nothing of the batch is kept.
            throw MlflowException.InvalidParameter(
                $"Changing param values is not allowed. Param with key='{changed.Key}' was already logged with value='{values[changed.Key!]}' " +
                $"for run ID='{runId}'. Attempted logging new value '{changed.Value}'.");
        }
    }

    private static async Task UpsertTagsAsync(NpgsqlConnection connection, string runId, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken)
    {
        // The last value of a key repeated within one batch wins.
        var last = tags.GroupBy(t => t.Key!, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        await connection.ExecuteAsync(
            """
            insert into tags (run_uuid, key, value) select $1, k, v from unnest($2::text[], $3::text[]) with ordinality as x(k, v, n) order by n
            on conflict (run_uuid, key) do update set value = excluded.value
            """,
            cancellationToken, runId, last.Select(t => t.Key!).ToArray(), last.Select(t => t.Value!).ToArray());
        var runName = last.FirstOrDefault(t => t.Key == RunStore.RunNameTag);
        if (runName is not null)
        {
            await connection.ExecuteAsync("update runs set run_name = $2 where run_uuid = $1", cancellationToken, runId, runName.Value);
        }
    }
}
