using System.Net;
using System.Text.Json;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

[Collection(ServingModelsCollection.Name)]
public sealed class PredictTests(ServingModelsFixture models)
{
    [Fact]
    public async Task Predict_OneRowAtATime_GivesTheTrainersProbabilities()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 40, seed: 1);
        var (labels, probabilities) = data.ExpectedScores(folder);

        for (var i = 0; i < data.Rows.Count; i++)
        {
            using var response = await ServingTestData.PostAsync(client, "/predict", data.Single(i)).DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
            Assert.Equal(probabilities[i], body.GetProperty("probability").GetSingle());
            Assert.Equal(labels[i], body.GetProperty("prediction").GetInt64());
            Assert.Equal(models.CardA.Threshold.Value, body.GetProperty("threshold").GetDouble());
            Assert.Equal(models.CardA.ModelName, body.GetProperty("model").GetProperty("name").GetString());
        }
    }

    [Fact]
    public async Task PredictBatch_ManyRows_GivesTheTrainersProbabilitiesInOrder()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 500, seed: 2);
        var (labels, probabilities) = data.ExpectedScores(folder);

        using var response = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
        Assert.Equal(probabilities, body.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()));
        Assert.Equal(labels, body.GetProperty("predictions").EnumerateArray().Select(p => p.GetInt64()));
        Assert.Contains(labels, l => l == 0);
    }

    [Theory]
    [InlineData("dataframe_split")]
    [InlineData("dataframe_records")]
    [InlineData("instances")]
    [InlineData("inputs")]
    public async Task Invocations_EveryMlflowFormat_GivesTheTrainersProbabilities(string format)
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 64, seed: 3);
        var (labels, probabilities) = data.ExpectedScores(folder);

        using var response = await ServingTestData.PostAsync(client, "/invocations", data.Invocations(format)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await ServingTestData.ReadJsonAsync(response).DefaultTimeout()).GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(probabilities, predictions.Select(p => p.GetProperty("probability").GetSingle()));
        Assert.Equal(labels, predictions.Select(p => p.GetProperty("label").GetInt64()));
    }

    [Fact]
    public async Task Invocations_CsvBody_GivesTheTrainersProbabilities()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 64, seed: 13);
        data.Rows[0][data.CategoricalFeature] = "with, a comma and \"quotes\"";
        var (labels, probabilities) = data.ExpectedScores(folder);

        using var response = await client.PostAsync(new Uri("/invocations", UriKind.Relative), ServingTestData.CsvContent(data.Csv())).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await ServingTestData.ReadJsonAsync(response).DefaultTimeout()).GetProperty("predictions").EnumerateArray().ToArray();
        Assert.Equal(probabilities, predictions.Select(p => p.GetProperty("probability").GetSingle()));
        Assert.Equal(labels, predictions.Select(p => p.GetProperty("label").GetInt64()));
    }

    [Fact]
    public async Task Predict_NullsAndUnseenCategories_AreValidInput()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 1, seed: 4);
        var row = data.Rows[0];
        foreach (var feature in models.CardA.Features)
        {
            row[feature.Name] = feature.Type == "categorical" ? ServingTestData.UnseenCategory : null;
        }

        var (_, probabilities) = data.ExpectedScores(folder);
        using var response = await ServingTestData.PostAsync(client, "/predict", row).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
        Assert.Equal(probabilities[0], body.GetProperty("probability").GetSingle());
    }

    [Fact]
    public async Task Predict_FieldsInAnyOrderAndIntegers_AreAccepted()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var data = ServingTestData.Create(models.CardA, 1, seed: 5);
        var row = data.Rows[0];
        row[data.NumericFeature] = 12.0;
        var (_, probabilities) = data.ExpectedScores(folder);

        var json = JsonSerializer.Serialize(row.Reverse().ToDictionary());
        Assert.Contains($"\"{data.NumericFeature}\":12", json, StringComparison.Ordinal);
        using var response = await client.PostAsync(new Uri("/predict", UriKind.Relative), ServingTestData.Raw(json)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(probabilities[0], (await ServingTestData.ReadJsonAsync(response).DefaultTimeout()).GetProperty("probability").GetSingle());
    }
}
