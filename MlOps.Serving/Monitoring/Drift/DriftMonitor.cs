using Microsoft.Extensions.Options;
using MlOps.Serving.Model;

namespace MlOps.Serving.Monitoring.Drift;

/// <summary>
/// Keeps the live window of the model now answering, binned as its training reference, and turns it into PSI per
/// input and for the score every <see cref="DriftOptions.Interval"/>. Logs one warning when a column's PSI reaches the
/// threshold and one line when it is back under. Fed by <see cref="MonitoringService"/> only (one thread); the last
/// <see cref="Snapshot"/> is an immutable object anyone may read.
/// </summary>
public sealed partial class DriftMonitor(IOptions<MonitoringOptions> options, TimeProvider time, ILogger<DriftMonitor> logger)
{
    private readonly DriftOptions _settings = options.Value.Drift;
    private LoadedModel? _model;
    private DriftWindow? _window;
    private bool[] _drifting = [];
    private volatile DriftSnapshot _snapshot = options.Value.Drift.Enabled
        ? DriftSnapshot.Off("no prediction has been made yet.", options.Value.Drift.Threshold, options.Value.Drift.WindowSize)
        : DriftSnapshot.Off("turned off (Monitoring:Drift:Enabled=false).", options.Value.Drift.Threshold, options.Value.Drift.WindowSize);

    public bool Enabled => _settings.Enabled;

    public DriftSnapshot Snapshot => _snapshot;

    internal void Add(PredictionEvent prediction)
    {
        if (!_settings.Enabled || !Follow(prediction.Model) || _window is null)
        {
            return;
        }

        var reference = prediction.Model.Drift;
        var features = reference.Features;
        Span<ushort> bins = stackalloc ushort[features.Length + 1];
        for (var row = 0; row < prediction.Rows; row++)
        {
            for (var f = 0; f < features.Length; f++)
            {
                if (features[f] is { } column)
                {
                    bins[f] = (ushort)(column.Kind == "categorical"
                        ? column.BinOf(prediction.Category(f, row))
                        : column.BinOf(prediction.Number(f, row)));
                }
            }

            if (reference.Score is { } score)
            {
                bins[features.Length] = (ushort)score.BinOf(prediction.Probabilities[row]);
            }

            _window.Add(bins);
        }
    }

    // The window belongs to one model; a newer model (a reload) starts a new one, rows of an older one are skipped.
    private bool Follow(LoadedModel model)
    {
        if (ReferenceEquals(model, _model))
        {
            return true;
        }

        if (_model is not null && model.Info.LoadedAt < _model.Info.LoadedAt)
        {
            return false;
        }

        _model = model;
        var reference = model.Drift;
        _window = reference.OffReason is null
            ? new DriftWindow(_settings.WindowSize, [.. reference.Features.Select(c => c?.Bins ?? 0), reference.Score?.Bins ?? 0])
            : null;
        _drifting = new bool[reference.Features.Length + 1];
        return true;
    }

    /// <summary>Computes PSI from the window, publishes the snapshot, logs threshold crossings.</summary>
    internal void Compute()
    {
        if (!_settings.Enabled || _model is null)
        {
            return;
        }

        var model = _model;
        var reference = model.Drift;
        if (_window is null)
        {
            _snapshot = DriftSnapshot.Off(reference.OffReason!, _settings.Threshold, _settings.WindowSize, model.Info.Version);
            return;
        }

        var ready = _window.Count >= _settings.MinRows;
        var features = new ColumnDrift[reference.Features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            features[f] = Column(model, f, reference.Features[f], reference.FeatureOffReasons[f], ready);
        }

        var score = Column(model, features.Length, reference.Score, reference.ScoreOffReason, ready);
        var status = !ready ? "warming_up" : features.Any(c => c.Drifting) || score.Drifting ? "drifting" : "ok";
        var reason = ready ? null : $"{_window.Count} of the {_settings.MinRows} rows needed (Monitoring:Drift:MinRows).";
        _snapshot = new DriftSnapshot(status, reason, model.Info.Version, _window.Count, _window.Capacity, _settings.Threshold,
            time.GetUtcNow(), features, score);
    }

    private ColumnDrift Column(LoadedModel model, int index, DriftColumn? column, string? offReason, bool ready)
    {
        var name = column?.Name ?? (index < model.Schema.Count ? model.Schema.Features[index].Name : "score");
        var kind = column?.Kind ?? (index < model.Schema.Count ? (model.Schema.Features[index].IsCategorical ? "categorical" : "numeric") : "numeric");
        if (column is null)
        {
            return new ColumnDrift(name, kind, null, false, offReason, null);
        }

        var live = _window!.Counts(index);
        if (!ready)
        {
            return new ColumnDrift(name, kind, null, false, null, null);
        }

        var psi = Psi.Compute(column.Reference, live);
        if (double.IsNaN(psi))
        {
            return new ColumnDrift(name, kind, null, false, "the reference holds no rows for it.", null);
        }

        var drifting = psi >= _settings.Threshold;
        if (drifting != _drifting[index])
        {
            _drifting[index] = drifting;
            if (drifting)
            {
                LogDrifting(name, psi, _settings.Threshold, _window.Count, model.Info.Version);
            }
            else
            {
                LogRecovered(name, psi, _settings.Threshold, _window.Count, model.Info.Version);
            }
        }

        return new ColumnDrift(name, kind, psi, drifting, null, Bins(column, live));
    }

    private static DriftBin[] Bins(DriftColumn column, ReadOnlySpan<long> live)
    {
        double expectedTotal = column.Reference.Sum(), liveTotal = 0;
        foreach (var count in live)
        {
            liveTotal += count;
        }

        var bins = new DriftBin[column.Bins];
        for (var i = 0; i < bins.Length; i++)
        {
            bins[i] = new DriftBin(column.Labels[i],
                expectedTotal > 0 ? column.Reference[i] / expectedTotal : 0,
                liveTotal > 0 ? live[i] / liveTotal : 0);
        }

        return bins;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Drift: '{Column}' PSI {Psi:F3} reached {Threshold} over the last {Rows} rows (model version {Version})")]
    private partial void LogDrifting(string column, double psi, double threshold, int rows, string version);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Drift: '{Column}' PSI {Psi:F3} is back under {Threshold} over the last {Rows} rows (model version {Version})")]
    private partial void LogRecovered(string column, double psi, double threshold, int rows, string version);
}
