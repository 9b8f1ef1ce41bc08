using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Serving.Api;
using MlOps.Serving.Model;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

[Collection(ServingModelsCollection.Name)]
public sealed class ReloadTests(ServingModelsFixture models)
{
    [Fact]
    public async Task Reload_AfterANewModelLandsAtTheUri_SwapsTheVersion()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        var versionA = Version(await ServingApp.WaitHealthyAsync(client));
        var data = ServingTestData.Create(models.CardB, 20, seed: 6);

        ServingModelsFixture.CopyInto(models.ModelB, folder);
        using var response = await ReloadAsync(client, ServingApp.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
        var versionB = Version(body);
        Assert.NotEqual(versionA, versionB);
        Assert.StartsWith(versionB, models.CardB.ModelUuid, StringComparison.Ordinal);
        Assert.Equal(versionA, body.GetProperty("previous").GetProperty("version").GetString());
        Assert.Equal(versionB, Version(await ServingApp.WaitHealthyAsync(client)));

        var (_, probabilities) = data.ExpectedScores(models.ModelB);
        using var batch = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout();
        var answer = await ServingTestData.ReadJsonAsync(batch).DefaultTimeout();
        Assert.Equal(probabilities, answer.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()));
        Assert.Equal(versionB, Version(answer));
    }

    [Fact]
    public async Task Reload_WhenTheNewModelIsBroken_KeepsTheCurrentModelAndAnswers409()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        var versionA = Version(await ServingApp.WaitHealthyAsync(client));

        await File.WriteAllTextAsync(Path.Combine(folder, "model.onnx"), "not an onnx model");
        using var response = await ReloadAsync(client, ServingApp.ApiKey);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
        Assert.Contains("model.onnx", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(versionA, Version(await ServingApp.WaitHealthyAsync(client)));

        var data = ServingTestData.Create(models.CardA, 1, seed: 7);
        using var predict = await ServingTestData.PostAsync(client, "/predict", data.Single(0)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.Equal(versionA, Version(await ServingTestData.ReadJsonAsync(predict).DefaultTimeout()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Reload_WithoutTheRightKey_Is401(string? key)
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        using var response = await ReloadAsync(client, key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reload_WhenNoKeyIsConfigured_IsOff()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp),
            new Dictionary<string, string?> { ["Admin:ApiKey"] = string.Empty });
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        using var response = await ReloadAsync(client, ServingApp.ApiKey);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Reload_WhileARequestHoldsTheOldModel_DisposesItOnlyWhenTheRequestLetsGo()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        var host = app.Services.GetRequiredService<ModelHost>();
        Assert.True(host.TryAcquire(out var lease));
        var old = lease.Model;

        ServingModelsFixture.CopyInto(models.ModelB, folder);
        using (var response = await ReloadAsync(client, ServingApp.ApiKey))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The request that started on the old model can still finish on it.
        Assert.False(old.Drained.IsCompleted);
        using (var batch = new FeatureBatch(old.Schema))
        {
            batch.EnsureCapacity(1);
            batch.Count = 1;
            for (var f = 0; f < old.Schema.Count; f++)
            {
                if (old.Schema.Features[f].IsCategorical)
                {
                    batch.Text(f)[0] = string.Empty;
                }
                else
                {
                    batch.Numeric(f)[0] = double.NaN;
                }
            }

            using var scores = old.Score(batch);
            Assert.InRange(scores.Probabilities[0], 0f, 1f);
        }

        lease.Dispose();
        await old.Drained.DefaultTimeout();
    }

    [Fact]
    public async Task Reload_UnderConcurrentLoad_LosesNoRequest()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        await using var app = new ServingApp(folder);
        using var client = app.CreateClient();
        var versionA = Version(await ServingApp.WaitHealthyAsync(client));
        var data = ServingTestData.Create(models.CardA, 8, seed: 8);
        var expected = new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            [versionA] = data.ExpectedScores(models.ModelA).Probabilities,
            [models.CardB.ModelUuid[..versionA.Length]] = data.ExpectedScores(models.ModelB).Probabilities,
        };

        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<string>();
        var answered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var row = (worker + i) % data.Rows.Count;
                using var response = await ServingTestData.PostAsync(client, "/predict", data.Single(row)).DefaultTimeout();
                var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)response.StatusCode}: {text}");
                    continue;
                }

                using var body = JsonDocument.Parse(text);
                var version = Version(body.RootElement);
                answered.AddOrUpdate(version, 1, (_, n) => n + 1);
                var probability = body.RootElement.GetProperty("probability").GetSingle();
                if (!expected.TryGetValue(version, out var scores) || scores[row] != probability)
                {
                    failures.Enqueue($"version {version} row {row}: probability {probability} is not that model's");
                }
            }
        })).ToArray();

        // Swap B in and A back, several times, while the workers keep predicting.
        var sources = new[] { models.ModelB, models.ModelA };
        for (var swap = 0; swap < 6; swap++)
        {
            ServingModelsFixture.CopyInto(sources[swap % 2], folder);
            using var response = await ReloadAsync(client, ServingApp.ApiKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(Version(await ServingTestData.ReadJsonAsync(response).DefaultTimeout()), expected.Keys);
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load).DefaultTimeout();

        Assert.Empty(failures);
        Assert.True(answered.Keys.Count >= 2, $"answers came from {string.Join(", ", answered.Keys)} only");
        Assert.True(answered.Values.Sum() > 50, $"only {answered.Values.Sum()} requests were answered");
    }

    private static async Task<HttpResponseMessage> ReloadAsync(HttpClient client, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/admin/reload", UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add(AdminApi.ApiKeyHeader, key);
        }

        return await client.SendAsync(request).DefaultTimeout();
    }

    private static string Version(JsonElement body) => body.GetProperty("model").GetProperty("version").GetString()!;
}
