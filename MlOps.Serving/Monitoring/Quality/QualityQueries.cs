using MlOps.Serving.Monitoring.Log;
using Npgsql;

namespace MlOps.Serving.Monitoring.Quality;

/// <summary>The prediction log's queries behind live quality: counts per version, then the labelled rows.</summary>
internal static class QualityQueries
{
    private const string Table = PredictionLogSchema.Table;

    public static async Task<IReadOnlyList<ModelQuality>> ReadAsync(NpgsqlDataSource dataSource, DateTimeOffset since, int maxRows,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var production = new Dictionary<string, Group>(StringComparer.Ordinal);
        var challengers = new Dictionary<(string, string), Group>();
        await using (var counts = new NpgsqlCommand(
            $"""
            select model_version, challenger_version, count(*), count(feedback_label) from {Table}
            where predicted_at >= $1 group by model_version, challenger_version
            """, connection))
        {
            counts.Parameters.AddWithValue(since.UtcDateTime);
            await using var reader = await counts.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var version = reader.GetString(0);
                var group = production.TryGetValue(version, out var g) ? g : production[version] = new Group();
                group.Add(reader.GetInt64(2), reader.GetInt64(3));
                if (!reader.IsDBNull(1))
                {
                    var key = (reader.GetString(1), version);
                    (challengers.TryGetValue(key, out var c) ? c : challengers[key] = new Group()).Add(reader.GetInt64(2), reader.GetInt64(3));
                }
            }
        }

        await using (var rows = new NpgsqlCommand(
            $"""
            select model_version, probability, label, feedback_label, challenger_version, challenger_probability, challenger_label
            from {Table} where predicted_at >= $1 and feedback_label is not null order by predicted_at desc limit $2
            """, connection))
        {
            rows.Parameters.AddWithValue(since.UtcDateTime);
            rows.Parameters.AddWithValue(maxRows);
            await using var reader = await rows.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var version = reader.GetString(0);
                var truth = reader.GetInt16(3);
                if (!production.TryGetValue(version, out var group))
                {
                    continue;
                }

                group.Labelled(reader.GetFloat(1), reader.GetInt64(2), truth);
                if (!reader.IsDBNull(4) && challengers.TryGetValue((reader.GetString(4), version), out var challenger))
                {
                    challenger.Labelled(reader.GetFloat(5), reader.GetInt64(6), truth);
                }
            }
        }

        return
        [
            .. production.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.ToQuality("production", p.Key, null)),
            .. challengers.OrderBy(c => c.Key).Select(c => c.Value.ToQuality("challenger", c.Key.Item1, c.Key.Item2)),
        ];
    }

    private sealed class Group
    {
        private readonly List<float> _scores = [];
        private readonly List<int> _predicted = [];
        private readonly List<int> _truth = [];
        private long _predictions;
        private long _labelled;

        public void Add(long predictions, long labelled) => (_predictions, _labelled) = (_predictions + predictions, _labelled + labelled);

        public void Labelled(float score, long predicted, short truth)
        {
            _scores.Add(score);
            _predicted.Add(predicted == 1 ? 1 : 0);
            _truth.Add(truth == 1 ? 1 : 0);
        }

        public ModelQuality ToQuality(string role, string version, string? productionVersion)
        {
            var predicted = _predicted.ToArray();
            var truth = _truth.ToArray();
            return new ModelQuality(role, version, productionVersion, _predictions, _labelled, truth.Sum(),
                _predictions == 0 ? null : (double)_labelled / _predictions,
                QualityMetrics.Precision(predicted, truth),
                QualityMetrics.Recall(predicted, truth),
                QualityMetrics.AveragePrecision(_scores.ToArray(), truth));
        }
    }
}
