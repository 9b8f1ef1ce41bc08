using System.Globalization;
using MlOps.Tracking.Runs;

namespace MlOps.Tracking.Ui.Queries;

/// <summary>
/// One statement for one page of the runs table. The filter is runs/search's own (MLflow's syntax, the same matches);
/// on the matched runs, those whose parent (tag <c>mlflow.parentRunId</c>, read in one scan: nested runs are few) also
/// matched are nested, the others are
/// top-level; top-level runs are ordered (a metric, param or tag sorts through a join, missing values last, then the
/// newest first, as MLflow orders) and one page of them is returned with their nested runs. The first row carries
/// the counts: kind 'T' (totals), 'R' (a top-level run), 'C' (a nested run).
/// </summary>
internal static class RunTableSql
{
    public static (string Sql, IReadOnlyList<object> Parameters) Build(
        long experimentId, string? filter, RunSort sort, int pageSize, int offset, int maxMatched, int maxChildren)
    {
        var search = RunSearchQuery.Build([experimentId], filter, "ACTIVE_ONLY", null, maxMatched, 0);
        var parameters = search.Parameters.ToList();
        string Add(object value)
        {
            parameters.Add(value);
            return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        var parentKey = Add(KnownRunTags.ParentRunId);
        var (join, key) = SortKey(sort, Add);
        var order = $"sort_key {(sort.Ascending ? "asc" : "desc")} nulls last, start_time desc, run_uuid asc";
        var sql = $"""
            with matched as materialized ({search.Sql}),
            parents as materialized (select run_uuid, value as parent from tags where key = {parentKey}),
            nested as materialized (
                select p.run_uuid, p.parent from parents p
                join matched c on c.run_uuid = p.run_uuid join matched q on q.run_uuid = p.parent),
            listed as materialized (
                select r.run_uuid, n.parent, {key} as sort_key, r.start_time
                from matched m join runs r on r.run_uuid = m.run_uuid left join nested n on n.run_uuid = r.run_uuid {join}),
            roots as (
                select run_uuid, row_number() over (order by {order}) as pos from listed where parent is null
                order by pos limit {pageSize} offset {offset}),
            children as (
                select run_uuid, parent, row_number() over (partition by parent order by {order}) as pos
                from listed where parent in (select run_uuid from roots))
            select 'T', null, null, (select count(*) from listed where parent is null), (select count(*) from matched)
            union all select 'R', run_uuid, null, pos, 0 from roots
            union all select 'C', run_uuid, parent, pos, 0 from children where pos <= {maxChildren}
            """;
        return (sql, parameters);
    }

    private static (string Join, string Key) SortKey(RunSort sort, Func<object, string> add)
    {
        if (RunColumn.Parse(sort.Key) is not { } column)
        {
            // RunSort only lets known attributes through: the column name is one of these constants.
            return ("", sort.Key switch
            {
                "end_time" => "r.end_time",
                "run_name" => "r.run_name",
                "status" => "r.status",
                "user_id" => "r.user_id",
                _ => "r.start_time",
            });
        }

        var table = column.Entity switch
        {
            RunColumn.Metrics => "latest_metrics",
            RunColumn.Params => "params",
            _ => "tags",
        };
        return ($"left join {table} s on s.run_uuid = r.run_uuid and s.key = {add(column.Key)}", "s.value");
    }
}
