using MlOps.Tracking.Data;
using MlOps.Tracking.Infrastructure;
using Npgsql;

namespace MlOps.Tracking.Runs;

/// <summary>Reads the dataset inputs of runs, with their input tags.</summary>
internal static class RunInputsReader
{
    public static async Task<Dictionary<string, List<DatasetInput>>> ReadAsync(
        NpgsqlConnection connection, string[] runIds, CancellationToken cancellationToken)
    {
        var rows = await connection.ListAsync(
            """
            select i.run_uuid, d.dataset_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
            from inputs i join datasets d on d.dataset_uuid = i.dataset_uuid
            where i.run_uuid = any($1) order by i.seq
            """,
            r => (Run: r.GetString(0), DatasetId: r.GetString(1), Dataset: new Dataset(
                r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.NullableString(6), r.NullableString(7))),
            cancellationToken, (object)runIds);
        var result = new Dictionary<string, List<DatasetInput>>(StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            return result;
        }

        var tags = (await connection.ListAsync(
            "select run_uuid, dataset_uuid, key, value from input_tags where run_uuid = any($1) order by seq",
            r => (Run: r.GetString(0), DatasetId: r.GetString(1), Tag: new KeyValue(r.GetString(2), r.GetString(3))),
            cancellationToken, (object)runIds)).ToLookup(t => (t.Run, t.DatasetId), t => t.Tag);
        foreach (var row in rows)
        {
            if (!result.TryGetValue(row.Run, out var list))
            {
                result[row.Run] = list = [];
            }

            list.Add(new DatasetInput([.. tags[(row.Run, row.DatasetId)]], row.Dataset));
        }

        return result;
    }
}
