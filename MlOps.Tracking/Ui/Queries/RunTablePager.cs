using MlOps.Tracking.Data;
using MlOps.Tracking.Runs;
using Npgsql;

namespace MlOps.Tracking.Ui.Queries;

/// <summary>
/// One page of an experiment's runs table. Filter and order are runs/search's own (MLflow's syntax, the same matches,
/// the same order), so a page costs about what runs/search does: the first rows of its ordered query, plus a count.
/// Runs whose parent (tag <c>mlflow.parentRunId</c>) also matches are nested under it: they are few, found first, and
/// skipped when paging the top-level runs.
/// </summary>
internal static class RunTablePager
{
    public static async Task<RunTablePage> ReadAsync(
        NpgsqlConnection connection, long experimentId, string? filter, RunSort sort, int pageNumber, int pageSize,
        IReadOnlyList<RunColumn> columns, CancellationToken cancellationToken)
    {
        var links = await LinksAsync(connection, experimentId, cancellationToken);
        var (matched, linkedMatches) = await MatchAsync(connection, experimentId, filter, links, cancellationToken);
        var nested = links.Where(l => linkedMatches.Contains(l.Key) && linkedMatches.Contains(l.Value))
            .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var truncated = matched > UiRunQueries.MaxMatched;
        matched = Math.Min(matched, UiRunQueries.MaxMatched);
        var totalRoots = Math.Max(0, matched - nested.Count);
        pageNumber = Math.Clamp(pageNumber, 1, Math.Max(1, (totalRoots + pageSize - 1) / pageSize));
        var offset = (pageNumber - 1) * pageSize;

        // Enough of the ordered matches to fill the page once the nested runs among them are skipped.
        var ordered = await OrderedAsync(connection, experimentId, filter, sort, Math.Min(offset + pageSize + nested.Count, matched), cancellationToken);
        var roots = ordered.Where(id => !nested.ContainsKey(id)).Skip(offset).Take(pageSize).ToList();
        var rootSet = roots.ToHashSet(StringComparer.Ordinal);
        var childIds = nested.Where(n => rootSet.Contains(n.Value)).Select(n => n.Key).ToList();
        var loaded = RunColumn.Parse(sort.Key) is { } sortColumn && !columns.Contains(sortColumn) ? [.. columns, sortColumn] : columns;
        var rows = (await RunRowReader.ReadAsync(connection, [.. roots, .. childIds], loaded, cancellationToken))
            .ToDictionary(r => r.RunId, StringComparer.Ordinal);
        var comparer = new RunRowComparer(sort);
        var page = roots.Where(rows.ContainsKey).Select(id => rows[id] with
        {
            Children = [.. childIds.Where(child => nested[child] == id && rows.ContainsKey(child)).Select(child => rows[child])
                .Order(comparer).Take(UiRunQueries.MaxChildren)],
        }).ToList();
        return new RunTablePage(page, totalRoots, matched, pageNumber, pageSize, truncated);
    }

    // Child → parent for the experiment's active runs whose parent is an active run of the same experiment.
    private static async Task<Dictionary<string, string>> LinksAsync(NpgsqlConnection connection, long experimentId, CancellationToken cancellationToken)
    {
        var rows = await connection.ListAsync(
            """
            select t.run_uuid, t.value from tags t
            join runs c on c.run_uuid = t.run_uuid join runs p on p.run_uuid = t.value
            where t.key = $1 and c.experiment_id = $2 and p.experiment_id = $2 and c.lifecycle_stage = 'active' and p.lifecycle_stage = 'active'
            """,
            r => (Child: r.GetString(0), Parent: r.GetString(1)), cancellationToken, KnownRunTags.ParentRunId, experimentId);
        return rows.ToDictionary(r => r.Child, r => r.Parent, StringComparer.Ordinal);
    }

    // How many runs match (up to one past the ceiling), and which of the linked runs do.
    private static async Task<(int Matched, HashSet<string> Linked)> MatchAsync(
        NpgsqlConnection connection, long experimentId, string? filter, Dictionary<string, string> links, CancellationToken cancellationToken)
    {
        var linked = links.Keys.Concat(links.Values).ToHashSet(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(filter))
        {
            var all = await connection.ScalarAsync<long>(
                "select count(*) from runs where experiment_id = $1 and lifecycle_stage = 'active'", cancellationToken, experimentId);
            return ((int)Math.Min(all, UiRunQueries.MaxMatched + 1), linked);
        }

        var search = RunSearchQuery.Build([experimentId], filter, "ACTIVE_ONLY", null, UiRunQueries.MaxMatched + 1, 0);
        var candidates = $"${search.Parameters.Count + 1}";
        var result = await connection.ListAsync(
            $"""
            with matched as materialized ({search.Sql})
            select (select count(*) from matched)::int, coalesce((select array_agg(run_uuid) from matched where run_uuid = any({candidates})), array[]::text[])
            """,
            r => (Count: r.GetInt32(0), Linked: r.GetFieldValue<string[]>(1)), cancellationToken, [.. search.Parameters, linked.ToArray()]);
        return (result[0].Count, result[0].Linked.ToHashSet(StringComparer.Ordinal));
    }

    private static async Task<List<string>> OrderedAsync(
        NpgsqlConnection connection, long experimentId, string? filter, RunSort sort, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        // Newest first is runs/search's own default order, which its index serves: no order_by term for it.
        var search = RunSearchQuery.Build([experimentId], filter, "ACTIVE_ONLY", sort == RunSort.Default ? null : [sort.OrderBy], limit, 0);
        return await connection.ListAsync(search.Sql, r => r.GetString(0), cancellationToken, [.. search.Parameters]);
    }
}
