using Microsoft.Extensions.Options;
using MlOps.Serving.Model;

namespace MlOps.Serving.Monitoring.Shadow;

/// <summary>
/// Scores the challenger on the inputs production answered, off the request path: the monitor hands it what it
/// drained (many requests), which become one batch per ONNX call, so the shadow costs a fraction of the answers.
/// Inputs are matched by name, so a challenger with the same inputs in another order works; one that needs an input
/// production's requests do not carry is not scored, and the snapshot says why.
/// </summary>
internal sealed class ShadowScorer(ChallengerHost challenger, IOptions<MonitoringOptions> options, TimeProvider time)
{
    private const int MaxRowsPerCall = 4096;
    private readonly ShadowWindow _window = new(options.Value.Shadow.WindowSize);
    private ModelSchema? _from;
    private ModelSchema? _to;
    private int[]? _map;
    private string? _mapProblem;
    private string? _productionVersion;
    private string? _challengerVersion;
    private string? _problem;
    private long _rowsScored;
    private volatile ShadowSnapshot _snapshot = Off(challenger, options.Value.Shadow.WindowSize);

    public ShadowSnapshot Snapshot => _snapshot;

    public long RowsScored => Interlocked.Read(ref _rowsScored);

    public void Score(List<PredictionEvent> events)
    {
        if (challenger.Host is not { } host || !host.TryAcquire(out var lease))
        {
            return;
        }

        using (lease)
        {
            for (var start = 0; start < events.Count;)
            {
                var end = start + 1;
                var rows = events[start].Rows;
                while (end < events.Count && ReferenceEquals(events[end].Model, events[start].Model) && rows + events[end].Rows <= MaxRowsPerCall)
                {
                    rows += events[end++].Rows;
                }

                ScoreGroup(lease.Model, events, start, end, rows);
                start = end;
            }
        }
    }

    private void ScoreGroup(LoadedModel model, List<PredictionEvent> events, int start, int end, int rows)
    {
        var production = events[start].Model;
        var map = Map(production.Schema, model.Schema);
        if (map is null)
        {
            return;
        }

        Follow(production.Info.Version, model.Info.Version);
        using var batch = new FeatureBatch(model.Schema);
        batch.EnsureCapacity(rows);
        batch.Count = rows;
        var offset = 0;
        for (var i = start; i < end; i++)
        {
            Fill(batch, events[i], map, offset);
            offset += events[i].Rows;
        }

        using var scores = model.Score(batch);
        offset = 0;
        for (var i = start; i < end; i++)
        {
            var e = events[i];
            e.ChallengerModel = model.Info;
            e.ChallengerProbabilities = scores.Probabilities.Slice(offset, e.Rows).ToArray();
            e.ChallengerLabels = scores.Labels.Slice(offset, e.Rows).ToArray();
            for (var row = 0; row < e.Rows; row++)
            {
                _window.Add(e.Probabilities[row], e.ChallengerProbabilities[row], e.Labels[row] == e.ChallengerLabels[row]);
            }

            offset += e.Rows;
        }

        Interlocked.Add(ref _rowsScored, rows);
    }

    private static void Fill(FeatureBatch batch, PredictionEvent e, int[] map, int offset)
    {
        var from = e.Model.Schema;
        for (var f = 0; f < map.Length; f++)
        {
            var source = from.Slots[map[f]] * e.Rows;
            if (batch.Schema.Features[f].IsCategorical)
            {
                e.Text.AsSpan(source, e.Rows).CopyTo(batch.Text(f)[offset..]);
            }
            else
            {
                e.Numeric.AsSpan(source, e.Rows).CopyTo(batch.Numeric(f)[offset..]);
            }
        }
    }

    // For each challenger input, the production input of the same name and kind (cached per pair of schemas).
    private int[]? Map(ModelSchema from, ModelSchema to)
    {
        if (!ReferenceEquals(from, _from) || !ReferenceEquals(to, _to))
        {
            (_from, _to, _map, _mapProblem) = (from, to, new int[to.Count], null);
            for (var f = 0; f < to.Count; f++)
            {
                var index = from.IndexOf(to.Features[f].Name);
                if (index < 0 || from.Features[index].IsCategorical != to.Features[f].IsCategorical)
                {
                    _mapProblem = $"the challenger's input '{to.Features[f].Name}' is not a {(to.Features[f].IsCategorical ? "categorical" : "numeric")} input of the production model.";
                    _map = null;
                    break;
                }

                _map[f] = index;
            }
        }

        _problem = _mapProblem;
        return _map;
    }

    private void Follow(string production, string challengerVersion)
    {
        if (production != _productionVersion || challengerVersion != _challengerVersion)
        {
            (_productionVersion, _challengerVersion) = (production, challengerVersion);
            _window.Clear();
        }
    }

    /// <summary>Publishes the window's figures (called by the monitor every drift interval).</summary>
    public void Compute()
    {
        if (challenger.Host is not { } host)
        {
            return;
        }

        var loaded = host.Status.Model;
        if (loaded is null || _problem is not null)
        {
            _snapshot = new ShadowSnapshot("waiting", _problem ?? host.Status.Reason ?? "the challenger is loading.", _productionVersion,
                loaded?.Version, 0, _window.Capacity, null, null, RowsScored, time.GetUtcNow());
            return;
        }

        _snapshot = new ShadowSnapshot("on", null, _productionVersion, loaded.Version, _window.Count, _window.Capacity,
            _window.Agreement, _window.ScorePsi(), RowsScored, time.GetUtcNow());
    }

    private static ShadowSnapshot Off(ChallengerHost challenger, int window) =>
        new(challenger.Host is null ? "off" : "waiting", challenger.OffReason ?? "no prediction has been made yet.",
            null, null, 0, window, null, null, 0, null);
}
