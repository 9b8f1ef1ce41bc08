using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

[Collection(ServingModelsCollection.Name)]
public sealed class HealthTests(ServingModelsFixture models)
{
    [Fact]
    public async Task Health_WhileTheModelLoads_IsLoadingThenHealthy()
    {
        using var temp = new TempDirectory();
        var folder = ServingModelsFixture.CopyModel(models.ModelA, temp);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = new ServingApp(folder, wrapSource: inner => new GatedModelSource(inner, gate.Task));
        using var client = app.CreateClient();

        using (var loading = await client.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
            var body = await loading.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
            Assert.Equal("loading", body.GetProperty("status").GetString());
        }

        using (var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using (var early = await ServingTestData.PostAsync(client, "/predict", ServingTestData.Create(models.CardA, 1, 1).Single(0)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
        }

        gate.SetResult();
        var healthy = await ServingApp.WaitHealthyAsync(client);
        Assert.Equal("healthy", healthy.GetProperty("status").GetString());
        var model = healthy.GetProperty("model");
        Assert.Equal(models.CardA.ModelName, model.GetProperty("name").GetString());
        Assert.StartsWith(model.GetProperty("version").GetString()!, models.CardA.ModelUuid, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, model.GetProperty("run_id").ValueKind);
        Assert.True(model.GetProperty("loaded_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Health_WithNoModelAtTheUri_IsUnavailableAndRecoversWhenOneAppears()
    {
        using var temp = new TempDirectory();
        var folder = temp.File("not-yet");
        await using var app = new ServingApp(new Uri(folder).AbsoluteUri);
        using var client = app.CreateClient();

        JsonElement body;
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token).DefaultTimeout();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token).DefaultTimeout();
            if (body.GetProperty("status").GetString() == "unavailable")
            {
                break;
            }

            await Task.Delay(20, timeout.Token);
        }

        Assert.Contains("not-yet", body.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The loader keeps retrying with backoff: a model that appears later is picked up without a restart.
        ServingModelsFixture.CopyInto(models.ModelA, folder);
        var healthy = await ServingApp.WaitHealthyAsync(client);
        Assert.Equal("healthy", healthy.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheEndpointsWithExamplesFromTheModel()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingModelsFixture.CopyModel(models.ModelA, temp));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        var document = await client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative)).DefaultTimeout();
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/predict", "/predict/batch", "/invocations", "/health", "/admin/reload" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }

        var example = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.True(example.TryGetProperty(models.CardA.Features[0].Name, out _));

        using var scalar = await client.GetAsync(new Uri("/scalar/v1", UriKind.Relative)).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }
}
