using System.Globalization;
using MlOps.Tracking.Data;
using Npgsql;

namespace MlOps.Tracking.Ui.Queries;

/// <summary>Loads runs-table rows for a set of run ids: info, only the chosen metric and param columns, the tags a
/// row shows, and the model versions registered from each run.</summary>
internal static class RunRowReader
{
    public static async Task<List<RunRow>> ReadAsync(
        NpgsqlConnection connection, string[] runIds, IReadOnlyList<RunColumn> columns, CancellationToken cancellationToken)
    {
        if (runIds.Length == 0)
        {
            return [];
        }

        var metricKeys = Keys(columns, RunColumn.Metrics);
        var paramKeys = Keys(columns, RunColumn.Params);
        var tagKeys = Keys(columns, RunColumn.Tags).Concat(KnownRunTags.Row).Distinct(StringComparer.Ordinal).ToArray();
        var infos = await connection.ListAsync(
            "select run_uuid, experiment_id, run_name, user_id, status, start_time, end_time from runs where run_uuid = any($1)",
            r => (Id: r.GetString(0), Experiment: r.GetInt64(1).ToString(CultureInfo.InvariantCulture), Name: r.GetString(2), User: r.GetString(3),
                Status: r.GetString(4), Start: r.GetInt64(5), End: r.NullableInt64(6)),
            cancellationToken, (object)runIds);
        var metrics = await KeyValuesAsync(connection, "latest_metrics", runIds, metricKeys, r => r.GetDouble(2), cancellationToken);
        var parameters = await KeyValuesAsync(connection, "params", runIds, paramKeys, r => r.GetString(2), cancellationToken);
        var tags = await KeyValuesAsync(connection, "tags", runIds, tagKeys, r => r.GetString(2), cancellationToken);
        var versions = await VersionsAsync(connection, runIds, cancellationToken);
        var byId = infos.ToDictionary(i => i.Id, StringComparer.Ordinal);
        return [.. runIds.Where(byId.ContainsKey).Select(id => byId[id]).Select(i => new RunRow(
            i.Id, i.Experiment, i.Name, i.User.Length > 0 ? i.User : null, i.Status, i.Start, i.End,
            tags.GetValueOrDefault(i.Id) ?? [], metrics.GetValueOrDefault(i.Id) ?? [], parameters.GetValueOrDefault(i.Id) ?? [],
            versions[i.Id].ToList()))];
    }

    private static string[] Keys(IReadOnlyList<RunColumn> columns, string entity) =>
        [.. columns.Where(c => c.Entity == entity).Select(c => c.Key).Distinct(StringComparer.Ordinal)];

    private static async Task<Dictionary<string, Dictionary<string, T>>> KeyValuesAsync<T>(
        NpgsqlConnection connection, string table, string[] runIds, string[] keys, Func<NpgsqlDataReader, T> value, CancellationToken cancellationToken)
    {
        if (keys.Length == 0)
        {
            return [];
        }

        // The table name is one of three constants chosen by the caller, never user input.
        var rows = await connection.ListAsync(
            $"select run_uuid, key, value from {table} where run_uuid = any($1) and key = any($2)",
            r => (Run: r.GetString(0), Key: r.GetString(1), Value: value(r)), cancellationToken, runIds, keys);
        return rows.GroupBy(r => r.Run, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static async Task<ILookup<string, VersionLink>> VersionsAsync(NpgsqlConnection connection, string[] runIds, CancellationToken cancellationToken)
    {
        var rows = await connection.ListAsync(
            """
            select v.run_id, v.name, v.version, coalesce(array_agg(a.alias order by a.alias) filter (where a.alias is not null), '{}')
            from model_versions v left join registered_model_aliases a on a.name = v.name and a.version = v.version
            where v.run_id = any($1) group by v.run_id, v.name, v.version order by v.name, v.version
            """,
            r => (Run: r.GetString(0), Link: new VersionLink(r.GetString(1), r.GetInt32(2).ToString(CultureInfo.InvariantCulture), r.GetFieldValue<string[]>(3))),
            cancellationToken, (object)runIds);
        return rows.ToLookup(r => r.Run, r => r.Link, StringComparer.Ordinal);
    }
}
