using System.Net;
using MlOps.Tests.Infrastructure;
using MlOps.Trainer.Evaluation;
using Npgsql;

namespace MlOps.Tests.Serving;

/// <summary>
/// The shadow challenger: two models trained by our trainer, registered in a real tracking server as
/// <c>@production</c> and <c>@challenger</c>; production answers, the challenger is scored on the same rows.
/// </summary>
[Collection(ServingModelsCollection.Name)]
public sealed class ShadowTests(ServingModelsFixture models, PostgresFixture postgres)
{
    [Fact]
    public async Task Challenger_IsScoredOnTheSameRows_LoggedBesideProduction_AndComparedLive()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        var (production, challenger) = await RegisterBothAsync(registry);
        var database = await postgres.CreateDatabaseAsync();
        await using var app = registry.Serve(ServingRegistry.AliasUri, temp.File("cache"), MonitoredServing.Settings(database));
        using var client = app.CreateClient();
        await HealthWaiter.WaitAsync(client, h => h.TryGetProperty("challenger", out var c) && c.GetProperty("status").GetString() == "healthy");
        var data = ServingTestData.Create(models.CardA, 120, seed: 71);
        var a = data.ExpectedScores(models.ModelA);
        var b = data.ExpectedScores(models.ModelB);

        using (var response = await ServingTestData.PostAsync(client, "/predict/batch", new Dictionary<string, object> { ["instances"] = data.Rows.Take(100).ToArray() }).DefaultTimeout())
        {
            var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
            // The answer is production's.
            Assert.Equal(a.Probabilities.Take(100), body.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()));
        }

        for (var i = 100; i < 120; i++)
        {
            using var single = await ServingTestData.PostAsync(client, "/predict", data.Single(i)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
        }

        await HealthWaiter.WaitAsync(client, "/monitoring/log", l => l.GetProperty("written").GetInt64() == 120);
        var logged = await ReadLogAsync(database);
        Assert.Equal(120, logged.Count);
        Assert.All(logged, row => Assert.Equal((production, challenger), (row.Version, row.ChallengerVersion)));
        Assert.Equal(a.Probabilities.Order(), logged.Select(r => r.Probability).Order());
        Assert.Equal(b.Probabilities.Order(), logged.Select(r => r.ChallengerProbability).Order());
        // Row by row: each logged row carries the challenger's score of the same inputs.
        var pairs = a.Probabilities.Zip(b.Probabilities).ToHashSet();
        Assert.All(logged, row => Assert.Contains((row.Probability, row.ChallengerProbability), pairs));

        var agreement = a.Labels.Zip(b.Labels).Count(p => p.First == p.Second) / 120.0;
        var shadow = (await HealthWaiter.WaitAsync(client, "/monitoring/shadow", s => s.GetProperty("window_rows").GetInt32() == 120)).Body;
        Assert.Equal("on", shadow.GetProperty("status").GetString());
        Assert.Equal(challenger, shadow.GetProperty("challenger_version").GetString());
        Assert.Equal(agreement, shadow.GetProperty("agreement").GetDouble(), 12);
        Assert.True(shadow.GetProperty("score_psi").GetDouble() >= 0);

        // With feedback, both models' PR-AUC side by side.
        var random = new Random(72);
        var ordered = logged.OrderBy(r => r.RequestId).ThenBy(r => r.Row).ToArray();
        var truth = ordered.Select(r => random.NextDouble() < 0.2 + (0.6 * r.Probability) ? 1f : 0f).ToArray();
        var feedback = ordered.Select((r, i) => new Dictionary<string, object> { ["request_id"] = r.RequestId, ["row"] = r.Row, ["label"] = (int)truth[i] }).ToArray();
        using (var sent = await ServingTestData.PostAsync(client, "/feedback", feedback).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        var quality = (await HealthWaiter.WaitAsync(client, "/monitoring/quality", q =>
            q.GetProperty("models").EnumerateArray().Count(m => m.GetProperty("labeled").GetInt64() == 120) == 2)).Body;
        var figures = quality.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("role").GetString()!, m => m);
        Assert.Equal(BinaryMetrics.Compute(truth, [.. ordered.Select(r => (double)r.Probability)], 0.5).AveragePrecision,
            figures["production"].GetProperty("pr_auc").GetDouble(), 9);
        Assert.Equal(BinaryMetrics.Compute(truth, [.. ordered.Select(r => (double)r.ChallengerProbability)], 0.5).AveragePrecision,
            figures["challenger"].GetProperty("pr_auc").GetDouble(), 9);
        Assert.Equal(production, figures["challenger"].GetProperty("production_version").GetString());
    }

    [Fact]
    public async Task ChallengerAliasRemoved_StopsTheShadow_ProductionUnaffected()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        var (production, challenger) = await RegisterBothAsync(registry);
        await using var app = registry.Serve(ServingRegistry.AliasUri, temp.File("cache"), MonitoredServing.Settings());
        using var client = app.CreateClient();
        await HealthWaiter.WaitAsync(client, h => h.TryGetProperty("challenger", out var c) && c.GetProperty("status").GetString() == "healthy");

        await registry.Client.DeleteRegisteredModelAliasAsync(ServingRegistry.ModelName, "challenger").DefaultTimeout();

        var health = await HealthWaiter.WaitAsync(client, h => h.GetProperty("challenger").GetProperty("status").GetString() == "no-model");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal(production, health.Body.GetProperty("model").GetProperty("version").GetString());
        using var predict = await ServingTestData.PostAsync(client, "/predict", ServingTestData.Create(models.CardA, 1, 73).Single(0)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
    }

    // Model A as @production, model B as @challenger: what the trainer leaves when B did not beat A.
    private async Task<(string Production, string Challenger)> RegisterBothAsync(ServingRegistry registry)
    {
        var (production, _) = await registry.RegisterAsync(models.ModelA);
        var (challenger, _) = await registry.RegisterAsync(models.ModelB);
        await registry.SetAliasAsync(production);
        await registry.SetAliasAsync(challenger, "challenger");
        return (production, challenger);
    }

    private static async Task<List<(Guid RequestId, int Row, string Version, float Probability, string ChallengerVersion, float ChallengerProbability)>> ReadLogAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync().DefaultTimeout();
        await using var command = new NpgsqlCommand(
            "select request_id, row_index, model_version, probability, challenger_version, challenger_probability from serving_predictions", connection);
        await using var reader = await command.ExecuteReaderAsync().DefaultTimeout();
        var rows = new List<(Guid, int, string, float, string, float)>();
        while (await reader.ReadAsync().DefaultTimeout())
        {
            rows.Add((reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2), reader.GetFloat(3), reader.GetString(4), reader.GetFloat(5)));
        }

        return rows;
    }
}
