using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Serving.Api;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Serving;

/// <summary>
/// Serving survives its registry: whatever a (fake, misbehaving) registry answers, the loaded model keeps answering,
/// <c>/health</c> says why no new model could be loaded, <c>/admin/reload</c> is a 409 with the reason, the process
/// stays up, and loading retries until the registry behaves again. Asserts serving's behaviour only, so it holds
/// whatever the MLflow client makes of each answer.
/// </summary>
[Collection(ServingModelsCollection.Name)]
public sealed class RegistryAttackTests(ServingModelsFixture models)
{
    public static TheoryData<RegistryAttack> Attacks => [.. Enum.GetValues<RegistryAttack>().Where(a => a != RegistryAttack.None)];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_WhileServing_KeepsTheModel_SaysWhy_Answers409_AndRecovers(RegistryAttack attack)
    {
        using var temp = new TempDirectory();
        await using var registry = await StartRegistryAsync(temp);
        await using var app = Serve(registry, temp);
        using var client = app.CreateClient();
        Assert.Equal("1", Version(await ServingApp.WaitHealthyAsync(client)));
        var data = ServingTestData.Create(models.CardA, 6, seed: 21);
        var expected = data.ExpectedScores(models.ModelA).Probabilities;

        registry.Attack = attack;
        registry.AliasVersion = "2";
        var health = await HealthWaiter.WaitAsync(client, h =>
            h.TryGetProperty("load_error", out _) || (h.TryGetProperty("registry", out var r) && r.GetString() == "unreachable"));

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("1", Version(health.Body));
        Assert.Equal(expected, await ProbabilitiesAsync(client, data));
        using (var reload = await ReloadAsync(client))
        {
            var problem = await reload.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
            Assert.True(reload.StatusCode == HttpStatusCode.Conflict, $"{attack}: reload answered {(int)reload.StatusCode} {problem}");
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
            Assert.Equal("1", problem.GetProperty("current_version").GetString());
        }

        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
            $"{attack} stopped the host");
        Assert.False(File.Exists(temp.File("escaped.txt")), "a listing entry wrote outside the model cache");

        registry.Attack = RegistryAttack.None;
        await HealthWaiter.WaitAsync(client, h => h.TryGetProperty("model", out var m) && m.GetProperty("version").GetString() == "2");
        Assert.Equal(data.ExpectedScores(models.ModelB).Probabilities, await ProbabilitiesAsync(client, data));
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Attack_AtStartup_StaysUp_UnavailableWithTheReason_ThenLoadsOnceTheRegistryBehaves(RegistryAttack attack)
    {
        using var temp = new TempDirectory();
        await using var registry = await StartRegistryAsync(temp);
        registry.Attack = attack;
        registry.AliasVersion = "2";
        await using var app = Serve(registry, temp);
        using var client = app.CreateClient();

        var health = await HealthWaiter.WaitAsync(client, h => h.GetProperty("status").GetString() == "unavailable");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.False(string.IsNullOrWhiteSpace(health.Body.GetProperty("reason").GetString()));
        using (var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using (var predict = await ServingTestData.PostAsync(client, "/predict", ServingTestData.Create(models.CardA, 1, 1).Single(0)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, predict.StatusCode);
        }

        using (var reload = await ReloadAsync(client))
        {
            Assert.Equal(HttpStatusCode.Conflict, reload.StatusCode);
        }

        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);

        registry.Attack = RegistryAttack.None;
        Assert.Equal("2", Version((await HealthWaiter.WaitAsync(client, h => h.GetProperty("status").GetString() == "healthy")).Body));
    }

    private async Task<FakeRegistry> StartRegistryAsync(TempDirectory temp)
    {
        var registry = await FakeRegistry.StartAsync();
        registry.AddVersion("1", ServingModelsFixture.CopyModel(models.ModelA, temp, "v1"));
        registry.AddVersion("2", ServingModelsFixture.CopyModel(models.ModelB, temp, "v2"));
        return registry;
    }

    // Short timeouts and polls so each attack shows within a second or two; the cache is the test's own.
    private static ServingApp Serve(FakeRegistry registry, TempDirectory temp) => new(FakeRegistry.AliasUri, new Dictionary<string, string?>
    {
        ["MLFLOW_TRACKING_URI"] = registry.BaseAddress.ToString(),
        ["Model:CacheDirectory"] = temp.File("cache"),
        ["Model:PollInterval"] = "00:00:00.200",
        ["Model:RegistryTimeout"] = "00:00:01",
        ["Model:LoadTimeout"] = "00:00:03",
    });

    private static string? Version(JsonElement health) => health.GetProperty("model").GetProperty("version").GetString();

    private static async Task<HttpResponseMessage> ReloadAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/admin/reload", UriKind.Relative));
        request.Headers.Add(AdminApi.ApiKeyHeader, ServingApp.ApiKey);
        return await client.SendAsync(request).DefaultTimeout();
    }

    private static async Task<float[]> ProbabilitiesAsync(HttpClient client, ServingTestData data)
    {
        using var response = await ServingTestData.PostAsync(client, "/predict/batch", data.Batch()).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ServingTestData.ReadJsonAsync(response).DefaultTimeout();
        return [.. body.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle())];
    }
}
