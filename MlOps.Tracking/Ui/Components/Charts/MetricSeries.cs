using MlOps.Tracking.Runs;
using MlOps.Tracking.Ui.Queries;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace MlOps.Tracking.Ui.Components.Charts;

/// <summary>The step histories of some metrics for some runs, as plotly traces: one line per run.</summary>
internal sealed class MetricSeries
{
    public static readonly MetricSeries Empty = new([], new Dictionary<string, List<(string Run, IReadOnlyList<Metric> Points)>>());

    private readonly IReadOnlyList<RunRow> _runs;
    private readonly IReadOnlyDictionary<string, List<(string Run, IReadOnlyList<Metric> Points)>> _byKey;

    private MetricSeries(IReadOnlyList<RunRow> runs, IReadOnlyDictionary<string, List<(string Run, IReadOnlyList<Metric> Points)>> byKey)
    {
        _runs = runs;
        _byKey = byKey;
    }

    public static async Task<MetricSeries> LoadAsync(
        RunStore store, UiRunQueries queries, IReadOnlyList<string> runIds, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var runs = await queries.RowsAsync(runIds, [], cancellationToken);
        var byKey = new Dictionary<string, List<(string Run, IReadOnlyList<Metric> Points)>>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var lines = new List<(string Run, IReadOnlyList<Metric> Points)>();
            foreach (var run in runs)
            {
                lines.Add((run.RunId, await store.GetMetricHistoryAsync(run.RunId, key, cancellationToken)));
            }

            byKey[key] = lines;
        }

        return new MetricSeries(runs, byKey);
    }

    public bool Has(string key) => _byKey.ContainsKey(key);

    public int Points(string key) => _byKey.TryGetValue(key, out var lines) ? lines.Sum(l => l.Points.Count) : 0;

    public IList<ITrace> Traces(string key) =>
        [.. (_byKey.GetValueOrDefault(key) ?? []).Where(l => l.Points.Count > 0).Select(line => (ITrace)new Scatter
        {
            Name = _runs.FirstOrDefault(r => r.RunId == line.Run)?.RunName ?? line.Run,
            Mode = ModeFlag.Lines,
            X = [.. line.Points.Select(p => (object)(p.Step ?? 0))],
            Y = [.. line.Points.Select(p => (object)(p.Value ?? double.NaN))],
        })];

    public Plotly.Blazor.Layout Layout(string key) => new()
    {
        Height = 280,
        Margin = new Margin { L = 56, R = 16, T = _runs.Count > 1 ? 36 : 12, B = 40 },
        ShowLegend = _runs.Count > 1,
        // Above the plot, so it never covers the curves or the axis title.
        Legend = [new Legend
        {
            Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
            X = 0,
            Y = 1.02m,
            YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Bottom,
        }],
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "step" }, ZeroLine = false }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = key }, ZeroLine = false }],
        PaperBgColor = "#ffffff",
        PlotBgColor = "#ffffff",
    };
}
