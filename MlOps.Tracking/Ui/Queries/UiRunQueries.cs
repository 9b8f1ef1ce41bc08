using MlOps.Tracking.Data;
using Npgsql;

namespace MlOps.Tracking.Ui.Queries;

/// <summary>
/// The reads behind the UI's pages that the REST API's stores do not offer: one page of the runs table (see
/// <see cref="RunTablePager"/>), runs with only the columns shown, counts, nested runs, metric keys with a history.
/// </summary>
public sealed class UiRunQueries(NpgsqlDataSource dataSource)
{
    /// <summary>At most this many matching runs are ordered and paged (runs/search's own ceiling).</summary>
    public const int MaxMatched = 50_000;

    /// <summary>Nested runs shown under one parent.</summary>
    public const int MaxChildren = 200;

    public async Task<RunTablePage> PageAsync(
        long experimentId, string? filter, RunSort sort, int pageNumber, int pageSize, IReadOnlyList<RunColumn> columns, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RunTablePager.ReadAsync(connection, experimentId, filter, sort, pageNumber, pageSize, columns, cancellationToken);
    }

    /// <summary>The metric and param keys of the experiment's most recent runs, for the column picker.</summary>
    public async Task<IReadOnlyList<ColumnCandidate>> ColumnsAsync(long experimentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ListAsync(
            """
            with recent as materialized (
                select run_uuid from runs where experiment_id = $1 and lifecycle_stage = 'active' order by start_time desc limit 50)
            select 'metrics', m.key, 0 from recent r join latest_metrics m on m.run_uuid = r.run_uuid group by m.key
            union all
            select 'params', p.key, count(distinct p.value)::int from recent r join params p on p.run_uuid = r.run_uuid group by p.key
            order by 1, 2
            """,
            r => new ColumnCandidate(new RunColumn(r.GetString(0), r.GetString(1)), r.GetInt32(2)), cancellationToken, experimentId);
    }

    /// <summary>Active runs and the latest start per experiment.</summary>
    public async Task<IReadOnlyDictionary<string, (int Runs, long? LastStart)>> ExperimentCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ListAsync(
            "select experiment_id::text, count(*)::int, max(start_time) from runs where lifecycle_stage = 'active' group by experiment_id",
            r => (Id: r.GetString(0), Runs: r.GetInt32(1), Last: r.NullableInt64(2)), cancellationToken);
        return rows.ToDictionary(r => r.Id, r => (r.Runs, r.Last), StringComparer.Ordinal);
    }

    /// <summary>The most recently started runs of all experiments.</summary>
    public async Task<IReadOnlyList<RunRow>> RecentAsync(int count, IReadOnlyList<RunColumn> columns, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.ListAsync(
            "select run_uuid from runs where lifecycle_stage = 'active' order by start_time desc, run_uuid limit $1",
            r => r.GetString(0), cancellationToken, count);
        return await RunRowReader.ReadAsync(connection, [.. ids], columns, cancellationToken);
    }

    /// <summary>Runs by id, in the order given (unknown ids are left out).</summary>
    public async Task<IReadOnlyList<RunRow>> RowsAsync(IReadOnlyList<string> runIds, IReadOnlyList<RunColumn> columns, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await RunRowReader.ReadAsync(connection, [.. runIds], columns, cancellationToken);
    }

    /// <summary>The nested runs of a run (same experiment), newest first.</summary>
    public async Task<IReadOnlyList<RunRow>> ChildrenAsync(string runId, string experimentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.ListAsync(
            """
            select r.run_uuid from runs r join tags t on t.run_uuid = r.run_uuid and t.key = $3
            where r.experiment_id = $1 and t.value = $2 and r.lifecycle_stage = 'active' order by r.start_time desc limit $4
            """,
            r => r.GetString(0), cancellationToken, long.Parse(experimentId, System.Globalization.CultureInfo.InvariantCulture), runId,
            KnownRunTags.ParentRunId, MaxChildren);
        return await RunRowReader.ReadAsync(connection, [.. ids], [], cancellationToken);
    }

    /// <summary>The keys of the metrics logged more than once by any of the runs: those get a curve.</summary>
    public async Task<IReadOnlyList<string>> HistoryKeysAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var keys = await connection.ListAsync(
            "select key from metrics where run_uuid = any($1) group by run_uuid, key having count(*) > 1",
            r => r.GetString(0), cancellationToken, (object)runIds.ToArray());
        return [.. keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The status of each run, for the live view.</summary>
    public async Task<IReadOnlyDictionary<string, string>> StatusesAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ListAsync(
            "select run_uuid, status from runs where run_uuid = any($1)", r => (Id: r.GetString(0), Status: r.GetString(1)),
            cancellationToken, (object)runIds.ToArray());
        return rows.ToDictionary(r => r.Id, r => r.Status, StringComparer.Ordinal);
    }
}
