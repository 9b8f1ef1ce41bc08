using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Serving.Telemetry;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

[Collection(ServingModelsCollection.Name)]
public sealed class TelemetryTests(ServingModelsFixture models)
{
    [Fact]
    public async Task Predictions_AreCountedByOutcome_TimedAndTracedWithTheModelVersion()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        // Other tests run serving apps in parallel; their meters share the name but not the app's meter factory
        // (the meter's scope), so measurements are kept with their scope and filtered once the app is up.
        var all = new ConcurrentQueue<(object? Scope, string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ServingTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => all.Enqueue((i.Meter.Scope, i.Name, v, ToDictionary(tags))));
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => all.Enqueue((i.Meter.Scope, i.Name, v, ToDictionary(tags))));
        meters.Start();
        var spans = new ConcurrentQueue<Activity>();
        using var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(traces);

        using var client = app.CreateClient();
        var version = (await ServingApp.WaitHealthyAsync(client)).GetProperty("model").GetProperty("version").GetString();
        var data = ServingTestData.Create(models.CardA, 3, seed: 12);
        using (var ok = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var bad = await client.PostAsync(new Uri("/predict", UriKind.Relative), ServingTestData.Raw("{}")).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        meters.RecordObservableInstruments();
        var meterFactory = app.Services.GetRequiredService<IMeterFactory>();
        var measurements = all.Where(m => ReferenceEquals(m.Scope, meterFactory)).Select(m => (m.Instrument, m.Value, m.Tags)).ToArray();

        var predictions = measurements.Where(m => m.Instrument == "mlops.serving.predictions").ToArray();
        Assert.Equal(3, predictions.Where(m => m.Tags["outcome"] is "positive" or "negative").Sum(m => m.Value));
        Assert.All(predictions.Where(m => m.Tags["outcome"] is "positive" or "negative"),
            m => Assert.Equal(version, m.Tags[ServingTelemetry.ModelVersionAttribute]));
        Assert.Equal(1, predictions.Where(m => Equals(m.Tags["outcome"], "invalid_input")).Sum(m => m.Value));
        Assert.Contains(measurements, m => m.Instrument == "mlops.serving.batch.size" && m.Value == 3);
        Assert.Equal(2, measurements.Count(m => m.Instrument == "mlops.serving.request.duration"));
        Assert.Contains(measurements, m => m.Instrument == "mlops.serving.model.duration" && m.Value > 0);
        Assert.Contains(measurements, m => m.Instrument == "mlops.serving.model.load.duration" && Equals(m.Tags["outcome"], "success"));
        Assert.Contains(measurements, m => m.Instrument == "mlops.serving.model.current"
            && Equals(m.Tags[ServingTelemetry.ModelVersionAttribute], version));
        Assert.Contains(spans, s => s.OperationName == "model.score"
            && Equals(s.GetTagItem(ServingTelemetry.ModelVersionAttribute), version));
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
