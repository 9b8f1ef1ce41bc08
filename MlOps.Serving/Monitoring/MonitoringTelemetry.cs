using System.Diagnostics.Metrics;
using MlOps.Serving.Api;
using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Monitoring.Quality;
using MlOps.Serving.Monitoring.Shadow;
using MlOps.Serving.Telemetry;

namespace MlOps.Serving.Monitoring;

/// <summary>
/// Monitoring's instruments on the serving meter: drift (PSI per input and for the score, the window), the
/// prediction log (rows written and dropped), the shadow (agreement, score PSI) and live quality (precision, recall,
/// PR-AUC, label rate). Gauges read the last published snapshots, so collecting metrics never touches the monitor.
/// </summary>
public sealed class MonitoringTelemetry
{
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _written;
    private readonly Counter<long> _shadowRows;
    private readonly Counter<long> _feedback;
    private readonly Func<DriftSnapshot?> _drift;
    private readonly Func<ShadowSnapshot?> _shadow;
    private readonly Func<QualitySnapshot?> _quality;

    public MonitoringTelemetry(ServingTelemetry serving, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(serving);
        // The monitors depend on this class (they count what they do); their snapshots are looked up when observed.
        _drift = () => services.GetService<DriftMonitor>()?.Snapshot;
        _shadow = () => services.GetService<ShadowScorerView>()?.Snapshot;
        _quality = () => services.GetService<QualityMonitor>()?.Snapshot;
        var meter = serving.Meter;
        _dropped = meter.CreateCounter<long>("mlops.serving.log.dropped", "{row}",
            "Predictions not logged, by reason: monitor_queue_full, log_queue_full, database_unavailable.");
        _written = meter.CreateCounter<long>("mlops.serving.log.written", "{row}", "Predictions written to the prediction log.");
        _shadowRows = meter.CreateCounter<long>("mlops.serving.shadow.rows", "{row}", "Rows the challenger scored in the shadow.");
        _feedback = meter.CreateCounter<long>("mlops.serving.feedback", "{label}", "Ground-truth labels joined to logged predictions.");
        meter.CreateObservableGauge("mlops.serving.drift.psi", ObserveFeaturePsi, "1",
            "Population stability index of each input over the live window against training, by feature and model version.");
        meter.CreateObservableGauge("mlops.serving.drift.score_psi", ObserveScorePsi, "1",
            "Population stability index of the predicted probability over the live window against training.");
        meter.CreateObservableGauge("mlops.serving.drift.window.size", ObserveWindow, "{row}", "Rows in the live drift window.");
        meter.CreateObservableGauge("mlops.serving.shadow.agreement", ObserveAgreement, "1",
            "Share of rows on which the challenger's label equals production's, over the shadow window.");
        meter.CreateObservableGauge("mlops.serving.shadow.score_psi", ObserveShadowPsi, "1",
            "PSI of the challenger's scores against production's over the shadow window.");
        meter.CreateObservableGauge("mlops.serving.quality.precision", () => ObserveQuality(q => q.Precision), "1",
            "Precision of the model's labels against feedback, by model version and role.");
        meter.CreateObservableGauge("mlops.serving.quality.recall", () => ObserveQuality(q => q.Recall), "1",
            "Recall of the model's labels against feedback, by model version and role.");
        meter.CreateObservableGauge("mlops.serving.quality.pr_auc", () => ObserveQuality(q => q.PrAuc), "1",
            "Area under the precision-recall curve (average precision) against feedback, by model version and role.");
        meter.CreateObservableGauge("mlops.serving.quality.label_rate", () => ObserveQuality(q => q.LabelRate), "1",
            "Share of the window's predictions that have feedback, by model version.");
    }

    public void Dropped(string reason, long rows) => _dropped.Add(rows, new KeyValuePair<string, object?>("reason", reason));

    public void Written(long rows) => _written.Add(rows);

    public void ShadowScored(long rows) => _shadowRows.Add(rows);

    public void Feedback(long labels) => _feedback.Add(labels);

    private static KeyValuePair<string, object?> Version(string? version) => new(ServingTelemetry.ModelVersionAttribute, version);

    private IEnumerable<Measurement<double>> ObserveFeaturePsi()
    {
        if (_drift() is not { } drift)
        {
            yield break;
        }

        foreach (var feature in drift.Features)
        {
            if (feature.Psi is { } psi)
            {
                yield return new Measurement<double>(psi, new KeyValuePair<string, object?>("feature", feature.Name), Version(drift.ModelVersion));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveScorePsi()
    {
        if (_drift() is { Score.Psi: { } psi } drift)
        {
            yield return new Measurement<double>(psi, Version(drift.ModelVersion));
        }
    }

    private IEnumerable<Measurement<long>> ObserveWindow()
    {
        if (_drift() is { ModelVersion: not null } drift)
        {
            yield return new Measurement<long>(drift.WindowRows, Version(drift.ModelVersion));
        }
    }

    private IEnumerable<Measurement<double>> ObserveAgreement()
    {
        if (_shadow() is { Agreement: { } agreement } shadow)
        {
            yield return new Measurement<double>(agreement, ShadowTags(shadow));
        }
    }

    private IEnumerable<Measurement<double>> ObserveShadowPsi()
    {
        if (_shadow() is { ScorePsi: { } psi } shadow)
        {
            yield return new Measurement<double>(psi, ShadowTags(shadow));
        }
    }

    private static KeyValuePair<string, object?>[] ShadowTags(ShadowSnapshot shadow) =>
        [Version(shadow.ProductionVersion), new("mlops.challenger.version", shadow.ChallengerVersion)];

    private IEnumerable<Measurement<double>> ObserveQuality(Func<ModelQuality, double?> figure)
    {
        if (_quality() is not { } quality)
        {
            yield break;
        }

        foreach (var model in quality.Models)
        {
            if (figure(model) is { } value)
            {
                yield return new Measurement<double>(value, Version(model.Version),
                    new KeyValuePair<string, object?>(ServingTelemetry.ModelRoleAttribute, model.Role));
            }
        }
    }
}
