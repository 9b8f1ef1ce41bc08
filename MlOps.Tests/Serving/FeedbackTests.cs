using System.Net;
using System.Text.Json;
using MlOps.Serving.Telemetry;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Evaluation;

namespace MlOps.Tests.Serving;

/// <summary>Feedback joined to logged predictions, and live quality computed from it, on a real PostgreSQL.</summary>
[Collection(ServingModelsCollection.Name)]
public sealed class FeedbackTests(ServingModelsFixture models, PostgresFixture postgres)
{
    [Fact]
    public async Task Feedback_JoinsLabels_AndLiveQualityMatchesTheTrainersMetrics()
    {
        using var temp = new TempDirectory();
        using var meters = new ServingMeters();
        var database = await postgres.CreateDatabaseAsync();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), MonitoredServing.Settings(database));
        using var client = app.CreateClient();
        var version = (await ServingApp.WaitHealthyAsync(client)).GetProperty("model").GetProperty("version").GetString();
        var data = ServingTestData.Create(models.CardA, 170, seed: 51);
        var (labels, probabilities) = data.ExpectedScores(models.ModelA);

        // 150 rows in one batch request, 20 one by one.
        var batch = await MonitoredServing.PostOkAsync(client, "/predict/batch", new Dictionary<string, object> { ["instances"] = data.Rows.Take(150).ToArray() });
        var ids = Enumerable.Range(0, 150).Select(i => (Id: batch.GetProperty("request_id").GetString()!, Row: i)).ToList();
        for (var i = 150; i < 170; i++)
        {
            ids.Add(((await MonitoredServing.PostOkAsync(client, "/predict", data.Single(i))).GetProperty("request_id").GetString()!, 0));
        }

        await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("written").GetInt64() == 170);

        // Ground truth for 120 of the 170: drawn so both classes are there and the model is right only sometimes.
        var random = new Random(52);
        var truth = probabilities.Select(p => random.NextDouble() < 0.25 + (0.5 * p) ? 1 : 0).ToArray();
        var labelled = Enumerable.Range(0, 170).Where(i => i % 17 != 0).Take(120).ToArray();
        Assert.Equal(120, labelled.Length);
        var items = labelled.Select(i => new Dictionary<string, object> { ["request_id"] = ids[i].Id, ["row"] = ids[i].Row, ["label"] = truth[i] });
        var accepted = await MonitoredServing.PostOkAsync(client, "/feedback", items.ToArray());
        Assert.Equal(120, accepted.GetProperty("accepted").GetInt32());

        var quality = (await HealthWaiter.WaitAsync(client, "/monitoring/quality", q =>
            q.GetProperty("models").EnumerateArray().Any(m => m.GetProperty("labeled").GetInt64() == 120))).Body;
        var model = Assert.Single(quality.GetProperty("models").EnumerateArray());
        Assert.Equal("production", model.GetProperty("role").GetString());
        Assert.Equal(version, model.GetProperty("version").GetString());
        Assert.Equal(170, model.GetProperty("predictions").GetInt64());
        Assert.Equal(120.0 / 170, model.GetProperty("label_rate").GetDouble(), 12);

        // The trainer's own evaluation (scikit-learn's definitions) of the same rows, at the model's own labels.
        var expected = BinaryMetrics.Compute([.. labelled.Select(i => (float)truth[i])], [.. labelled.Select(i => (double)probabilities[i])],
            models.CardA.Threshold.Value);
        var tp = labelled.Count(i => labels[i] == 1 && truth[i] == 1);
        var predictedPositive = labelled.Count(i => labels[i] == 1);
        Assert.Equal(predictedPositive == 0 ? null : Math.Round((double)tp / predictedPositive, 12), Figure(model, "precision"));
        Assert.Equal((double)tp / labelled.Count(i => truth[i] == 1), model.GetProperty("recall").GetDouble(), 12);
        Assert.Equal(expected.AveragePrecision, model.GetProperty("pr_auc").GetDouble(), 9);
        Assert.Equal(labelled.Count(i => truth[i] == 1), model.GetProperty("positives").GetInt64());

        var gauge = meters.Of(app, "mlops.serving.quality.pr_auc").Last(m => Equals(m.Tags[ServingTelemetry.ModelVersionAttribute], version));
        Assert.Equal(expected.AveragePrecision, gauge.Value, 9);
        Assert.Equal(120, meters.Of(app, "mlops.serving.feedback").Sum(m => m.Value));
    }

    [Fact]
    public async Task Feedback_BadItems_Are400NamingEachOne_AndNothingIsRecorded()
    {
        using var temp = new TempDirectory();
        var database = await postgres.CreateDatabaseAsync();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp), MonitoredServing.Settings(database));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 2, seed: 53);
        var a = (await MonitoredServing.PostOkAsync(client, "/predict", data.Single(0))).GetProperty("request_id").GetString();
        var b = (await MonitoredServing.PostOkAsync(client, "/predict", data.Single(1))).GetProperty("request_id").GetString();
        await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("written").GetInt64() == 2);

        var malformed = await ErrorsAsync(client, new object[]
        {
            new { request_id = a, label = 1 },
            new { request_id = b, label = 2 },
            new { request_id = a, label = 0 },
            new { request_id = "not-an-id", label = 1 },
            new { request_id = b, label = 1, extra = true },
            new { label = 1 },
        });
        Assert.Equal(["[1].label", "[2].request_id", "[3].request_id", "[4].extra", "[5].request_id"], malformed.Keys.Order(StringComparer.Ordinal));

        var unknown = Guid.NewGuid().ToString();
        var notLogged = await ErrorsAsync(client, new object[] { new { request_id = a, label = 1 }, new { request_id = unknown, label = 0 } });
        Assert.Equal(["[1].request_id"], notLogged.Keys);
        Assert.Contains(unknown, notLogged["[1].request_id"], StringComparison.Ordinal);
        Assert.Equal(0, await MonitoredServing.CountAsync(database, "select count(*) from serving_predictions where feedback_label is not null"));

        Assert.Equal(1, (await MonitoredServing.PostOkAsync(client, "/feedback", new { request_id = a, label = 1 })).GetProperty("accepted").GetInt32());
        var again = await ErrorsAsync(client, new { request_id = a, label = 0 });
        Assert.Contains("already has feedback", again["request_id"], StringComparison.Ordinal);
        Assert.Equal(1, await MonitoredServing.CountAsync(database, $"select count(*) from serving_predictions where request_id = '{a}' and feedback_label = 1"));
    }

    // A figure that is undefined (nothing predicted positive) is left out of the JSON.
    private static double? Figure(JsonElement model, string name) =>
        model.TryGetProperty(name, out var value) ? Math.Round(value.GetDouble(), 12) : null;

    private static async Task<Dictionary<string, string>> ErrorsAsync(HttpClient client, object body)
    {
        using var response = await ServingTestData.PostAsync(client, "/feedback", body).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString())));
    }

}
