using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

[Collection(ServingModelsCollection.Name)]
public sealed class RegistryServingTests(ServingModelsFixture models, PostgresFixture postgres)
{
    [Fact]
    public async Task Health_BeforeAnyVersion_IsNoModel_ThenHealthyOnceTheAliasIsSet()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        await using var app = registry.Serve(ServingRegistry.AliasUri, temp.File("cache"));
        using var client = app.CreateClient();

        var missing = await WaitStatusAsync(client, "no-model");
        Assert.Contains(ServingRegistry.AliasUri, missing.GetProperty("reason").GetString(), StringComparison.Ordinal);

        var (version, runId) = await registry.RegisterAsync(models.ModelA);
        // The model exists but the alias does not yet: MLflow answers 400 INVALID_PARAMETER_VALUE, still "no model".
        await WaitStatusAsync(client, "no-model");
        await registry.SetAliasAsync(version);

        var health = await ServingApp.WaitHealthyAsync(client);
        var model = health.GetProperty("model");
        Assert.Equal("1", model.GetProperty("version").GetString());
        Assert.Equal(runId, model.GetProperty("run_id").GetString());
        Assert.Equal(ServingRegistry.ModelName, model.GetProperty("name").GetString());

        var data = ServingTestData.Create(models.CardA, 10, seed: 3);
        Assert.Equal(data.ExpectedScores(models.ModelA).Probabilities, await ProbabilitiesAsync(client, data));
    }

    [Fact]
    public async Task AliasMoved_SwitchesWithinAFewPolls_WhileConcurrentRequestsAllSucceed()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        var (versionA, _) = await registry.RegisterAsync(models.ModelA);
        await registry.SetAliasAsync(versionA);
        await using var app = registry.Serve(ServingRegistry.AliasUri, temp.File("cache"));
        using var client = app.CreateClient();
        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));

        var data = ServingTestData.Create(models.CardA, 8, seed: 5);
        var expectedA = data.ExpectedScores(models.ModelA).Probabilities;
        var expectedB = data.ExpectedScores(models.ModelB).Probabilities;
        Assert.NotEqual(expectedA, expectedB);
        var (versionB, runB) = await registry.RegisterAsync(models.ModelB);

        using var stop = new CancellationTokenSource();
        var answers = new ConcurrentBag<(HttpStatusCode Status, float[] Probabilities, string? Version)>();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout();
                var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
                answers.Add((response.StatusCode,
                    [.. body.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle())],
                    body.GetProperty("model").GetProperty("version").GetString()));
            }
        })).ToArray();

        await registry.SetAliasAsync(versionB);
        var switched = await WaitVersionAsync(client, "2");
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(workers).DefaultTimeout();

        Assert.Equal(runB, switched.GetProperty("model").GetProperty("run_id").GetString());
        Assert.NotEmpty(answers);
        Assert.All(answers, answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.True(answer.Version == "1" ? answer.Probabilities.SequenceEqual(expectedA) : answer.Probabilities.SequenceEqual(expectedB),
                $"version {answer.Version} answered probabilities that are neither A's nor B's");
        });
        Assert.Contains(answers, a => a.Version == "2");
        Assert.Equal(expectedB, await ProbabilitiesAsync(client, data));
    }

    [Fact]
    public async Task AliasMovedToABrokenVersion_KeepsTheCurrentModel()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        var (versionA, _) = await registry.RegisterAsync(models.ModelA);
        await registry.SetAliasAsync(versionA);
        var broken = ServingModelsFixture.CopyModel(models.ModelB, temp, "broken");
        await File.WriteAllTextAsync(Path.Combine(broken, "model.onnx"), "not an onnx model");
        var (versionBroken, _) = await registry.RegisterAsync(broken);
        await using var app = registry.Serve(ServingRegistry.AliasUri, temp.File("cache"));
        using var client = app.CreateClient();
        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));

        await registry.SetAliasAsync(versionBroken);
        // The broken version is downloaded (it lands in the cache) and fails to load; version 1 keeps serving.
        await WaitUntilAsync(() => Directory.EnumerateDirectories(temp.File("cache"), versionBroken, SearchOption.AllDirectories)
            .Any(d => Path.GetFileName(Path.GetDirectoryName(d)) == ServingRegistry.ModelName));
        await Task.Delay(600);

        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));
        var data = ServingTestData.Create(models.CardA, 5, seed: 11);
        Assert.Equal(data.ExpectedScores(models.ModelA).Probabilities, await ProbabilitiesAsync(client, data));
    }

    [Fact]
    public async Task TrackingUnreachable_KeepsServingTheCurrentModel_AndHealthStays200()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        var (version, _) = await registry.RegisterAsync(models.ModelA);
        await registry.SetAliasAsync(version);
        await using var app = registry.Serve(ServingRegistry.AliasUri, temp.File("cache"));
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);

        registry.Down = true;
        var health = await WaitHealthAsync(client, h => h.TryGetProperty("registry", out var r) && r.GetString() == "unreachable");
        Assert.Equal("1", health.GetProperty("model").GetProperty("version").GetString());

        var data = ServingTestData.Create(models.CardA, 5, seed: 9);
        Assert.Equal(data.ExpectedScores(models.ModelA).Probabilities, await ProbabilitiesAsync(client, data));

        registry.Down = false;
        await WaitHealthAsync(client, h => !h.TryGetProperty("registry", out _));
    }

    [Fact]
    public async Task PinnedVersion_LoadsThatVersion_AndDoesNotFollowTheAlias()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        await registry.RegisterAsync(models.ModelA);
        var (versionB, _) = await registry.RegisterAsync(models.ModelB);
        await registry.SetAliasAsync(versionB);
        await using var app = registry.Serve($"models:/{ServingRegistry.ModelName}/1", temp.File("cache"));
        using var client = app.CreateClient();

        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));
        await Task.Delay(1000);
        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));
    }

    [Fact]
    public async Task PinnedVersion_InTheCache_LoadsAfterARestartWithoutTheRegistry()
    {
        using var temp = new TempDirectory();
        var cache = temp.File("cache");
        await using var registry = await ServingRegistry.StartAsync(postgres);
        await registry.RegisterAsync(models.ModelA);
        var uri = $"models:/{ServingRegistry.ModelName}/1";
        await using (var first = registry.Serve(uri, cache))
        {
            using var client = first.CreateClient();
            Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));
        }

        registry.Down = true;
        await using var second = registry.Serve(uri, cache);
        using var restarted = second.CreateClient();
        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(restarted)));
    }

    [Fact]
    public async Task RunsUri_LoadsTheRunsModel_WithItsRunId()
    {
        using var temp = new TempDirectory();
        await using var registry = await ServingRegistry.StartAsync(postgres);
        var (_, runId) = await registry.RegisterAsync(models.ModelB);
        await using var app = registry.Serve($"runs:/{runId}/model", temp.File("cache"));
        using var client = app.CreateClient();

        var model = (await ServingApp.WaitHealthyAsync(client)).GetProperty("model");
        Assert.Equal(runId, model.GetProperty("run_id").GetString());
        Assert.StartsWith(model.GetProperty("version").GetString()!, models.CardB.ModelUuid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistryUri_WithoutATrackingServer_IsUnavailableWithTheReason()
    {
        using var temp = new TempDirectory();
        await using var app = new ServingApp(ServingRegistry.AliasUri, new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = "",
            ["Model:CacheDirectory"] = temp.File("cache"),
        });
        using var client = app.CreateClient();

        var health = await WaitStatusAsync(client, "unavailable");
        Assert.Contains("MLFLOW_TRACKING_URI", health.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static string? Version(JsonElement health) => health.GetProperty("model").GetProperty("version").GetString();

    private static async Task<float[]> ProbabilitiesAsync(HttpClient client, ServingTestData data)
    {
        using var response = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
        return [.. body.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle())];
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (!done())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    private static Task<JsonElement> WaitStatusAsync(HttpClient client, string status) =>
        WaitHealthAsync(client, h => h.GetProperty("status").GetString() == status);

    private static Task<JsonElement> WaitVersionAsync(HttpClient client, string version) =>
        WaitHealthAsync(client, h => h.TryGetProperty("model", out var m) && m.GetProperty("version").GetString() == version);

    private static async Task<JsonElement> WaitHealthAsync(HttpClient client, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        var last = default(JsonElement);
        while (!timeout.IsCancellationRequested)
        {
            using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), timeout.Token).DefaultTimeout();
            last = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token).DefaultTimeout();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(50, timeout.Token);
        }

        throw new TimeoutException($"/health never reached the expected state; last: {last}");
    }
}
