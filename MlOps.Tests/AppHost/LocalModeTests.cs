using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>The real AppHost in local mode, as a newcomer on a machine without a container engine runs it: PostgreSQL
/// from the server binaries, the tracking server standing in for MLflow, the trainer and serving as projects.</summary>
[Collection(AppHostCollection.Name)]
public sealed class LocalModeTests
{
    private static readonly TimeSpan s_startup = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task FirstRun_StartsInDependencyOrder_TrainsPromotesServes_TrainCommandGivesV2_ServingOutlivesTracking()
    {
        using var data = new AppHostDataDirectory();
        await using var app = await MlOpsApp.StartAsync(data.Path);

        // First run: no production model, so the trainer runs once by itself and serving turns healthy on version 1.
        var trained = await app.WaitForAsync("trainer", MlOpsApp.Completed, s_startup);
        Assert.Equal(0, trained.Snapshot.ExitCode);
        await app.WaitForHealthyAsync("serving", s_startup);
        AssertDependencyOrder(app.History);

        using var serving = app.Client("serving");
        using var tracking = app.Client("mlflow");
        Assert.Equal("1", await ProductionVersionAsync(tracking));
        var (version, probability) = await PredictAsync(serving);
        Assert.Equal("1", version);
        Assert.InRange(probability, 0.0, 1.0);

        // The Train command trains again: version 2, promoted, and serving follows the alias.
        var result = await app.CommandAsync("trainer", "train");
        Assert.True(result.Success, result.Message);
        await app.WaitForAsync("trainer", s => s.State?.Text == KnownResourceStates.Running, s_startup);
        var again = await app.WaitForAsync("trainer", MlOpsApp.Completed, s_startup);
        Assert.Equal(0, again.Snapshot.ExitCode);
        Assert.Equal("2", await ProductionVersionAsync(tracking));

        // The Reload model command reloads serving in place (it answers 200 with the admin key the AppHost generated).
        var reload = await app.CommandAsync("serving", "reload-model");
        Assert.True(reload.Success, reload.Message);
        Assert.Equal("2", (await PredictAsync(serving)).Version);

        // With the tracking server killed, serving keeps answering with the model it has.
        var mlflow = app.History.Last(e => e.Resource.Name == "mlflow").Snapshot;
        var pid = Convert.ToInt32(mlflow.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
        await app.WaitForAsync("mlflow", s => s.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), TimeSpan.FromMinutes(1));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("2", (await PredictAsync(serving)).Version);
            await Task.Delay(300);
        }
    }

    // A resource starts only after everything it waits for is ready: the first "Starting"/"Running" of each comes after
    // the first healthy (or finished) state of its dependencies in the recorded stream.
    internal static void AssertDependencyOrder(IReadOnlyList<ResourceEvent> history)
    {
        int First(string name, Func<CustomResourceSnapshot, bool> predicate)
        {
            for (var i = 0; i < history.Count; i++)
            {
                if (history[i].Resource.Name == name && predicate(history[i].Snapshot))
                {
                    return i;
                }
            }

            throw new Xunit.Sdk.XunitException($"'{name}' never got there; history:\n{string.Join('\n', history.Select(e => $"{e.Resource.Name} {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus}"))}");
        }

        static bool Healthy(CustomResourceSnapshot s) => s.State?.Text == KnownResourceStates.Running && s.HealthStatus == HealthStatus.Healthy;
        static bool Started(CustomResourceSnapshot s) => s.State?.Text == KnownResourceStates.Running;

        Assert.True(First("postgres", Healthy) < First("trackingdb", Started), "trackingdb ran before postgres was healthy");
        Assert.True(First("trackingdb", Healthy) < First("mlflow", Started), "mlflow started before its database was healthy");
        Assert.True(First("mlflow", Healthy) < First("serving", Started), "serving started before mlflow was healthy");
        Assert.True(First("mlflow", Healthy) < First("trainer", Started), "the trainer started before mlflow was healthy");
        Assert.True(First("data", MlOpsApp.Completed) < First("trainer", Started), "the trainer started before its data");
    }

    internal static async Task<string> ProductionVersionAsync(HttpClient tracking)
    {
        var body = await tracking.GetFromJsonAsync<JsonElement>(
            "/api/2.0/mlflow/registered-models/alias?name=fraud-detector&alias=production").DefaultTimeout();
        return body.GetProperty("model_version").GetProperty("version").GetString()!;
    }

    internal static async Task<(string Version, double Probability)> PredictAsync(HttpClient serving)
    {
        using var response = await serving.PostAsJsonAsync("/predict", SampleTransactions.Suspicious()).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"predict answered {(int)response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        return (body.GetProperty("model").GetProperty("version").GetString()!, body.GetProperty("probability").GetDouble());
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<BuiltImagesCleanup>
{
    public const string Name = "AppHost end to end";
}

/// <summary>Aspire tags the images each app builds from Dockerfiles with a hash of that app (<c>data:&lt;hash&gt;</c>,
/// <c>trainer:…</c>, <c>mlflow:…</c>), and every test app is a new one: without this, each test run would leave a set
/// of tagged images on a developer's engine. When the collection ends (by then every build a test started is done),
/// the tags made during it are removed; BuildKit's cache keeps the next build fast.</summary>
public sealed class BuiltImagesCleanup : IAsyncLifetime
{
    private HashSet<string> _before = [];

    public async Task InitializeAsync() => _before = await DockerTestEnvironment.BuiltImageTagsAsync();

    public Task DisposeAsync() => DockerTestEnvironment.RemoveImagesBuiltSinceAsync(_before);
}
