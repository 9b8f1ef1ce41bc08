using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MlOps.Tracking.Runs;
using MlOps.Tracking.Ui.Queries;
using Plotly.Blazor;

namespace MlOps.Tracking.Ui.Components.Charts;

public sealed partial class MetricCharts
{
    private static readonly Config s_config = new() { Responsive = true, DisplayLogo = false };

    private readonly Dictionary<string, PlotlyChart> _charts = new(StringComparer.Ordinal);

    // One list per chart, handed to it once and refilled in place: the chart redraws from it on React().
    private readonly Dictionary<string, List<ITrace>> _traces = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private MetricSeries _series = MetricSeries.Empty;
    private IReadOnlyList<string> _keys = [];
    private bool _live;
    private Task? _polling;

    [Parameter, EditorRequired]
    public string[] RunIds { get; set; } = [];

    [Inject]
    private UiRunQueries Queries { get; set; } = default!;

    [Inject]
    private RunStore RunStore { get; set; } = default!;

    /// <summary>Called each time a live run's curves were read again (the last time when the runs have all ended), so
    /// the page can read the rest of the run again too.</summary>
    [Parameter]
    public EventCallback Refreshed { get; set; }

    [Inject]
    private IOptions<TrackingUiOptions> Options { get; set; } = default!;

    [Inject]
    private ILogger<MetricCharts> Logger { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _keys = await Queries.HistoryKeysAsync(RunIds, _stop.Token);
        var statuses = await Queries.StatusesAsync(RunIds, _stop.Token);
        _live = statuses.Values.Any(IsActive);

        // The prerendered page only needs the chart frames; the points are read once the circuit is up.
        if (RendererInfo.IsInteractive)
        {
            _series = await MetricSeries.LoadAsync(RunStore, Queries, RunIds, _keys, _stop.Token);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // Not only after the first render: that one may come before the first read has said the run is live.
        if (_polling is null && _live && RendererInfo.IsInteractive)
        {
            _polling = FollowAsync(_stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }

        _stop.Dispose();
    }

    private static bool IsActive(string status) => status is "RUNNING" or "SCHEDULED";

    private List<ITrace> TracesOf(string key)
    {
        if (!_traces.TryGetValue(key, out var traces))
        {
            _traces[key] = traces = [.. _series.Traces(key)];
        }

        return traces;
    }

    private static string ChartId(string key) => "chart-" + string.Concat(key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));

    // Reads the curves again until every run has ended; a failed read is logged and tried again at the next tick.
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Value.LiveInterval);
        try
        {
            while (_live && await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await RefreshAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(Logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var statuses = await Queries.StatusesAsync(RunIds, cancellationToken);
        var keys = await Queries.HistoryKeysAsync(RunIds, cancellationToken);
        var series = await MetricSeries.LoadAsync(RunStore, Queries, RunIds, keys, cancellationToken);
        var newCharts = !keys.SequenceEqual(_keys) || keys.Any(k => !_series.Has(k));
        _keys = keys;
        _series = series;
        _live = statuses.Values.Any(IsActive);
        if (newCharts)
        {
            // New metrics appeared: render again so the new charts are created.
            _charts.Clear();
            _traces.Clear();
            await InvokeAsync(StateHasChanged);
        }
        else
        {
            await InvokeAsync(async () =>
            {
                foreach (var (key, chart) in _charts)
                {
                    var traces = TracesOf(key);
                    traces.Clear();
                    traces.AddRange(_series.Traces(key));
                    await chart.React();
                }

                StateHasChanged();
            });
        }

        await InvokeAsync(() => Refreshed.InvokeAsync());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the live curves failed; trying again at the next tick")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
