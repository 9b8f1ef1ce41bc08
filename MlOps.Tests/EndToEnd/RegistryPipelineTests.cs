using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;
using MlOps.Tests.Serving;

namespace MlOps.Tests.EndToEnd;

/// <summary>
/// The whole life of a model without the AppHost: a real tracking server on 127.0.0.1 (PostgreSQL behind it), the
/// real trainer command line pointed at it through MLFLOW_TRACKING_URI, and the real serving app following
/// <c>models:/fraud-detector@production</c> over HTTP.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RegistryPipelineTests(PostgresFixture postgres)
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task TrainRegisterServe_ChampionChallenger_ServingFollowsProductionWithoutFailedRequests()
    {
        using var temp = new TempDirectory();
        await using var tracking = await TrackingServerHost.StartAsync(postgres).DefaultTimeout();
        var data = temp.File("transactions.csv");
        Assert.Equal(0, (await TrainerRunner.RunAsync("generate", "--rows", "20000", "--seed", "21", "--out", data)).ExitCode);

        // 1. A modest first model becomes version 1 and production.
        var first = await TrainAsync(tracking, data, temp.File("out1"), "--iterations", "8", "--num-leaves", "4");
        using var http = new HttpClient { BaseAddress = tracking.BaseAddress };
        var client = new MlflowClient(http);
        var v1 = await client.GetModelVersionByAliasAsync("fraud-detector", "production").DefaultTimeout();
        Assert.Equal("1", v1.Version);
        var run1 = await client.GetRunAsync(v1.RunId!).DefaultTimeout();
        Assert.Equal("FINISHED", run1.Info.Status);
        Assert.Contains(run1.Data.Params, p => p.Key == "num_leaves" && p.Value == "4");
        Assert.Contains(run1.Data.Metrics, m => m.Key == "test_pr_auc");
        var artifacts = await client.ListRunArtifactsAsync(run1.Info.RunId, "model").DefaultTimeout();
        Assert.Contains(artifacts.Files, f => f.Path.EndsWith("model.onnx", StringComparison.Ordinal));
        Assert.Contains("production", first.Output, StringComparison.Ordinal);

        // 2. Serving started on the alias becomes healthy on version 1 and predicts.
        using var serving = new ServingApp("models:/fraud-detector@production", new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = tracking.BaseAddress.ToString(),
            ["Model:PollInterval"] = s_pollInterval.ToString(),
            ["Model:CacheDirectory"] = temp.File("cache"),
        });
        using var api = serving.CreateClient();
        var health = await ServingApp.WaitHealthyAsync(api);
        Assert.Equal("1", health.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(v1.RunId, health.GetProperty("model").GetProperty("run_id").GetString());
        var transaction = SampleTransactions.Suspicious();
        Assert.Equal("1", (await PredictAsync(api, transaction)).Version);

        // 3. A worse model becomes the challenger; serving stays on version 1.
        await TrainAsync(tracking, data, temp.File("out2"), "--iterations", "1", "--num-leaves", "2");
        var v2 = await client.GetModelVersionByAliasAsync("fraud-detector", "challenger").DefaultTimeout();
        Assert.Equal("2", v2.Version);
        Assert.Equal("1", (await client.GetModelVersionByAliasAsync("fraud-detector", "production").DefaultTimeout()).Version);
        await Task.Delay(s_pollInterval * 4);
        Assert.Equal("1", (await PredictAsync(api, transaction)).Version);

        // 4. A better model takes production; serving switches while requests keep flowing, none failing.
        using var load = new CancellationTokenSource();
        var versionsSeen = new List<string>();
        var failures = 0;
        var traffic = Task.Run(async () =>
        {
            while (!load.IsCancellationRequested)
            {
                try
                {
                    var answer = await PredictAsync(api, transaction);
                    lock (versionsSeen)
                    {
                        versionsSeen.Add(answer.Version);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        await TrainAsync(tracking, data, temp.File("out3"), "--iterations", "150", "--num-leaves", "31");
        Assert.Equal("3", (await client.GetModelVersionByAliasAsync("fraud-detector", "production").DefaultTimeout()).Version);
        var switchedWithin = await WaitForVersionAsync(api, "3");
        await load.CancelAsync();
        await traffic.DefaultTimeout();

        Assert.Equal(0, failures);
        Assert.Contains("1", versionsSeen);
        // Within one poll interval of the alias moving, plus the time to download and warm the new model.
        Assert.True(switchedWithin < s_pollInterval + TimeSpan.FromSeconds(10), $"switched after {switchedWithin}");
    }

    private static async Task<TrainerRunner.Result> TrainAsync(TrackingServerHost tracking, string data, string output, params string[] extra)
    {
        var result = await TrainerRunner.RunAsync(tracking.Environment,
            ["train", "--data", data, "--label", "is_fraud", "--output", output, "--seed", "3", "--device", "cpu", .. extra]);
        Assert.True(result.ExitCode == 0, $"train failed ({result.ExitCode}): {result.Error}");
        return result;
    }

    private static async Task<TimeSpan> WaitForVersionAsync(HttpClient api, string version)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TaskTimeoutExtensions.DefaultTimeoutDuration)
        {
            using var response = await api.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
            if (body.TryGetProperty("model", out var model) && model.GetProperty("version").GetString() == version)
            {
                return clock.Elapsed;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"serving never switched to version {version}");
    }

    private static async Task<(string Version, double Probability)> PredictAsync(HttpClient api, object transaction)
    {
        using var response = await api.PostAsJsonAsync(new Uri("/predict", UriKind.Relative), transaction).DefaultTimeout();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"predict answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync().DefaultTimeout()}");
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout();
        return (body.GetProperty("model").GetProperty("version").GetString()!, body.GetProperty("probability").GetDouble());
    }
}
