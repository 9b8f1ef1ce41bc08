using System.Diagnostics;
using System.Diagnostics.Metrics;
using MlOps.Serving.Model;

namespace MlOps.Serving.Telemetry;

/// <summary>The serving API's meter and activity source (both named <see cref="Name"/>).</summary>
public sealed class ServingTelemetry : IDisposable
{
    public const string Name = "MlOps.Serving";
    public const string ModelVersionAttribute = "mlops.model.version";
    public const string ModelNameAttribute = "mlops.model.name";
    public const string ModelRoleAttribute = "mlops.model.role";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _modelDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _loadDuration;
    private volatile ModelInfo? _current;
    private volatile ModelInfo? _challenger;

    public ServingTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(Name);
        _predictions = _meter.CreateCounter<long>("mlops.serving.predictions", "{prediction}",
            "Rows answered, by outcome: positive, negative, invalid_input, no_model.");
        _requestDuration = _meter.CreateHistogram<double>("mlops.serving.request.duration", "s",
            "Time from request start to response, by endpoint.");
        _modelDuration = _meter.CreateHistogram<double>("mlops.serving.model.duration", "s", "Time inside ONNX Runtime per request.");
        _batchSize = _meter.CreateHistogram<long>("mlops.serving.batch.size", "{row}", "Rows per request.");
        _loadDuration = _meter.CreateHistogram<double>("mlops.serving.model.load.duration", "s",
            "Time to resolve, load and warm a model, by outcome.");
        _meter.CreateObservableGauge("mlops.serving.model.current", ObserveCurrent, "{model}",
            "1 for the model now serving (and the challenger in its shadow), tagged with name, version and role.");
    }

    /// <summary>The serving meter, shared with monitoring's instruments.</summary>
    public Meter Meter => _meter;

    public void ModelLoaded(ModelRole role, ModelInfo model, TimeSpan duration)
    {
        if (role == ModelRole.Production)
        {
            _current = model;
        }
        else
        {
            _challenger = model;
        }

        _loadDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "success"), Role(role));
    }

    public void ModelLoadFailed(ModelRole role, TimeSpan duration) =>
        _loadDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failure"), Role(role));

    /// <summary>The challenger was dropped (its alias is gone).</summary>
    public void ChallengerUnloaded() => _challenger = null;

    private static KeyValuePair<string, object?> Role(ModelRole role) =>
        new(ModelRoleAttribute, role == ModelRole.Production ? "production" : "challenger");

    public void Scored(string endpoint, ModelInfo model, ReadOnlySpan<long> labels, long startTimestamp, TimeSpan modelElapsed)
    {
        var positives = 0;
        foreach (var label in labels)
        {
            positives += label == 1 ? 1 : 0;
        }

        var version = new KeyValuePair<string, object?>(ModelVersionAttribute, model.Version);
        if (positives > 0)
        {
            _predictions.Add(positives, new KeyValuePair<string, object?>("outcome", "positive"), version);
        }

        if (labels.Length - positives > 0)
        {
            _predictions.Add(labels.Length - positives, new KeyValuePair<string, object?>("outcome", "negative"), version);
        }

        _batchSize.Record(labels.Length, new KeyValuePair<string, object?>("endpoint", endpoint));
        _modelDuration.Record(modelElapsed.TotalSeconds, version);
        RequestDone(endpoint, startTimestamp);
        Activity.Current?.SetTag(ModelVersionAttribute, model.Version).SetTag(ModelNameAttribute, model.Name);
    }

    public void Rejected(string endpoint, string outcome, long startTimestamp)
    {
        _predictions.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        RequestDone(endpoint, startTimestamp);
    }

    private void RequestDone(string endpoint, long startTimestamp) =>
        _requestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));

    private IEnumerable<Measurement<long>> ObserveCurrent()
    {
        if (_current is { } model)
        {
            yield return new Measurement<long>(1,
                new KeyValuePair<string, object?>(ModelNameAttribute, model.Name),
                new KeyValuePair<string, object?>(ModelVersionAttribute, model.Version), Role(ModelRole.Production));
        }

        if (_challenger is { } challenger)
        {
            yield return new Measurement<long>(1,
                new KeyValuePair<string, object?>(ModelNameAttribute, challenger.Name),
                new KeyValuePair<string, object?>(ModelVersionAttribute, challenger.Version), Role(ModelRole.Challenger));
        }
    }

    public void Dispose() => _meter.Dispose();
}
