using MlOps.Tracking.Data;
using Npgsql;

namespace MlOps.Tracking.Ui.Queries;

/// <summary>
/// The reads behind the runs table, beside the REST API's stores: filter and order come from runs/search's own
/// query builder (MLflow's syntax, same results), then one page of top-level runs is loaded with only the columns
/// shown. Nested runs are grouped under their parent when both match the filter.
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
        var page = await ReadPageAsync(connection, experimentId, filter, sort, pageNumber, pageSize, cancellationToken);
        if (page.Roots.Count == 0 && pageNumber > 1 && page.TotalRoots > 0)
        {
            // Past the last page (an old link): the last page instead.
            pageNumber = (page.TotalRoots + pageSize - 1) / pageSize;
            page = await ReadPageAsync(connection, experimentId, filter, sort, pageNumber, pageSize, cancellationToken);
        }

        var ids = page.Roots.Concat(page.Children.SelectMany(c => c.Value)).ToArray();
        var rows = (await RunRowReader.ReadAsync(connection, ids, columns, cancellationToken)).ToDictionary(r => r.RunId, StringComparer.Ordinal);
        var result = page.Roots.Where(rows.ContainsKey).Select(id => rows[id] with
        {
            Children = [.. (page.Children.GetValueOrDefault(id) ?? []).Where(rows.ContainsKey).Select(child => rows[child])],
        }).ToList();
        var truncated = page.TotalMatched > MaxMatched;
        return new RunTablePage(result, page.TotalRoots, Math.Min(page.TotalMatched, MaxMatched), Math.Max(1, pageNumber), pageSize, truncated);
    }

    /// <summary>The metric and param keys of the experiment's most recent runs, for the column picker.</summary>
    public async Task<IReadOnlyList<ColumnCandidate>> ColumnsAsync(long experimentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ListAsync(
            """
            with recent as (
                select run_uuid from runs where experiment_id = $1 and lifecycle_stage = 'active' order by start_time desc limit 200)
            select 'metrics', key, 0 from latest_metrics where run_uuid in (select run_uuid from recent) group by key
            union all
            select 'params', key, count(distinct value)::int from params where run_uuid in (select run_uuid from recent) group by key
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

    private static async Task<PageIds> ReadPageAsync(
        NpgsqlConnection connection, long experimentId, string? filter, RunSort sort, int pageNumber, int pageSize, CancellationToken cancellationToken)
    {
        var offset = (Math.Max(1, pageNumber) - 1) * pageSize;
        var (sql, parameters) = RunTableSql.Build(experimentId, filter, sort, pageSize, offset, MaxMatched + 1, MaxChildren);
        var rows = await connection.ListAsync(
            sql, r => (Kind: r.GetString(0), Run: r.NullableString(1), Parent: r.NullableString(2), Position: r.GetInt64(3), Matched: r.GetInt64(4)),
            cancellationToken, [.. parameters]);
        var totals = rows.Single(r => r.Kind == "T");
        var children = rows.Where(r => r.Kind == "C").GroupBy(r => r.Parent!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Position).Select(r => r.Run!).ToList(), StringComparer.Ordinal);
        return new PageIds([.. rows.Where(r => r.Kind == "R").OrderBy(r => r.Position).Select(r => r.Run!)], children, (int)totals.Position, (int)totals.Matched);
    }

    private sealed record PageIds(List<string> Roots, Dictionary<string, List<string>> Children, int TotalRoots, int TotalMatched);
}
