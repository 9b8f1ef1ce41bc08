using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Serving.Monitoring.Drift;
using MlOps.Serving.Telemetry;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Data;

namespace MlOps.Tests.Serving;

/// <summary>Drift against the trainer's reference-stats.json, through the running app: the table, the metric, the warnings.</summary>
[Collection(ServingModelsCollection.Name)]
public sealed class DriftTests(ServingModelsFixture models)
{
    [Fact]
    public async Task ShiftedInputs_RaisePsiPastTheThreshold_WarnOnce_AndComeBack()
    {
        using var temp = new TempDirectory();
        using var meters = new ServingMeters();
        var logs = new CapturedLogs();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), MonitoredServing.Settings(windowSize: 500, minRows: 200),
            configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = app.CreateClient();
        var version = (await ServingApp.WaitHealthyAsync(client)).GetProperty("model").GetProperty("version").GetString();
        var training = TrainingRows(500, skip: 0);
        var (numeric, categorical) = ("amount", "merchant_category");

        // Live data like the training data: nothing drifts.
        await SendAsync(client, training);
        var steady = await WaitDriftAsync(client, d => d.GetProperty("window_rows").GetInt32() == 500 && d.GetProperty("status").GetString() != "warming_up");
        Assert.Equal("ok", steady.GetProperty("status").GetString());
        Assert.All(Features(steady), f => Assert.True(f.Psi < 0.2, $"{f.Name}: PSI {f.Psi} on training-like data"));

        // The same rows with amounts twenty times larger and a merchant category never seen in training.
        var shifted = training.Select(r => new Dictionary<string, object?>(r)
        {
            [numeric] = r[numeric] is double d ? d * 20 : null,
            [categorical] = "crypto-exchange",
        }).ToList();
        await SendAsync(client, shifted);
        // Once the window holds only shifted rows, every category in it is unseen.
        var drifting = await WaitDriftAsync(client, d => d.GetProperty("status").GetString() == "drifting" && Unseen(d, categorical).Actual == 1.0);
        Assert.Equal(version, drifting.GetProperty("model_version").GetString());
        Assert.True(Features(drifting).Single(f => f.Name == numeric).Psi >= 0.2);
        Assert.True(Features(drifting).Single(f => f.Name == categorical).Psi >= 0.2);
        Assert.Equal(0.0, Unseen(drifting, categorical).Expected);
        var gauge = meters.Of(app, "mlops.serving.drift.psi").Last(m => Equals(m.Tags["feature"], numeric));
        Assert.True(gauge.Value >= 0.2);
        Assert.Equal(version, gauge.Tags[ServingTelemetry.ModelVersionAttribute]);
        Assert.Contains(meters.Of(app, "mlops.serving.drift.window.size"), m => m.Value == 500);

        // Back to training-like data: the window refills and the warning is answered once.
        await SendAsync(client, TrainingRows(500, skip: 500));
        await WaitDriftAsync(client, d => d.GetProperty("status").GetString() == "ok");
        foreach (var feature in new[] { numeric, categorical })
        {
            Assert.Single(logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains($"'{feature}' PSI", StringComparison.Ordinal));
            Assert.Single(logs.Records, r => r.Level == LogLevel.Information && r.Message.Contains($"'{feature}' PSI", StringComparison.Ordinal)
                && r.Message.Contains("back under", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Records, r => r.Message.Contains("'hour' PSI", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScorePsi_IsMeasured_AgainstTheTrainersHeldOutScores()
    {
        // The trainer records the predicted probability on its test split as "score" in reference-stats.json.
        await using var app = new ServingApp(models.ModelA, MonitoredServing.Settings(windowSize: 300, minRows: 300));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        await SendAsync(client, TrainingRows(300, skip: 1000));
        var drift = await WaitDriftAsync(client, d => d.GetProperty("status").GetString() is "ok" or "drifting");

        var score = drift.GetProperty("score");
        Assert.False(score.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String, reason.ToString());
        var bins = score.GetProperty("bins").EnumerateArray().Select(b => (E: b.GetProperty("expected").GetDouble(), A: b.GetProperty("actual").GetDouble())).ToArray();
        // PSI by hand from the bins the API shows: Σ (a − e) ln(a / e), empty bins as 1e-4.
        var byHand = bins.Sum(b => (Math.Max(b.A, 1e-4) - Math.Max(b.E, 1e-4)) * Math.Log(Math.Max(b.A, 1e-4) / Math.Max(b.E, 1e-4)));
        Assert.Equal(byHand, score.GetProperty("psi").GetDouble(), 9);
        Assert.Equal(1.0, bins.Sum(b => b.E), 6);
        Assert.Equal(1.0, bins.Sum(b => b.A), 6);
        // Rows like the training data score like the held-out rows: no drift in the score.
        Assert.InRange(score.GetProperty("psi").GetDouble(), 0, 0.2);
    }

    [Fact]
    public async Task ModelWithoutReferenceStats_StillServes_AndDriftSaysWhyItIsOff()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        File.Delete(Path.Combine(folder, DriftReference.FileName));
        await using var app = new ServingApp(folder, MonitoredServing.Settings());
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        await SendAsync(client, TrainingRows(5, skip: 0));

        var drift = await WaitDriftAsync(client, d => d.TryGetProperty("model_version", out _));
        Assert.Equal("off", drift.GetProperty("status").GetString());
        Assert.Contains(DriftReference.FileName, drift.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private List<Dictionary<string, object?>> TrainingRows(int count, int skip)
    {
        // A random sample: the generated file is in time order, so its first rows are not like the whole.
        var table = TableReader.Read(models.DataPath);
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(81).Shuffle(order);
        var rows = new List<Dictionary<string, object?>>(count);
        foreach (var r in order.Skip(skip).Take(count))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var feature in models.CardA.Features)
            {
                row[feature.Name] = table[feature.Name] switch
                {
                    NumericColumn n => double.IsNaN(n.Values[r]) ? null : n.Values[r],
                    StringColumn s => s.Values[r],
                    var other => throw new InvalidOperationException($"{other.Name} is {other.Kind}"),
                };
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task SendAsync(HttpClient client, List<Dictionary<string, object?>> rows)
    {
        foreach (var chunk in rows.Chunk(100))
        {
            using var response = await ServingTestData.PostAsync(client, "/predict/batch", new Dictionary<string, object> { ["instances"] = chunk }).DefaultTimeout();
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<JsonElement> WaitDriftAsync(HttpClient client, Func<JsonElement, bool> done) =>
        (await HealthWaiter.WaitAsync(client, "/monitoring/drift", done)).Body;

    private static (double Expected, double Actual) Unseen(JsonElement drift, string feature)
    {
        var column = drift.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("name").GetString() == feature);
        if (!column.TryGetProperty("bins", out var bins))
        {
            return (double.NaN, double.NaN);
        }

        var unseen = bins.EnumerateArray().Single(b => b.GetProperty("bin").GetString() == "unseen");
        return (unseen.GetProperty("expected").GetDouble(), unseen.GetProperty("actual").GetDouble());
    }

    private static IEnumerable<(string Name, double? Psi)> Features(JsonElement drift) =>
        drift.GetProperty("features").EnumerateArray().Select(f =>
            (f.GetProperty("name").GetString()!, f.TryGetProperty("psi", out var p) ? p.GetDouble() : (double?)null));
}
