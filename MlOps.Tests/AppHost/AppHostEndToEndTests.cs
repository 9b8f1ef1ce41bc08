using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Hosting.Orchestration;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.AppHost;

/// <summary>The real AppHost in local mode, as a newcomer runs it: PostgreSQL from the server binaries, the tracking
/// server as MLflow's stand-in, the trainer and serving as processes. Each test has its own data folder and ports.</summary>
[Collection(AppHostCollection.Name)]
public sealed class AppHostEndToEndTests
{
    private static readonly TimeSpan s_startup = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task FirstRun_StartsInDependencyOrder_TrainsPromotesServes_RetrainsAndStopsCleanly()
    {
        using var data = new AppHostDataDirectory();
        await using var host = await AppHostProcess.StartAsync(data.Path);

        // First run: no production model, so the trainer runs once by itself and serving turns healthy on version 1.
        await host.WaitForAsync("trainer", s => s.State == ResourceState.Finished, s_startup);
        var trainer = host.History.Last(s => s.Name == "trainer");
        Assert.Equal(0, trainer.ExitCode);
        await host.WaitForHealthyAsync("serving", s_startup);
        AssertDependencyOrder(host.History);

        using var serving = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Ports["serving"]}") };
        using var tracking = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Ports["mlflow"]}") };
        Assert.Equal("1", await ProductionVersionAsync(tracking));
        Assert.InRange((await PredictAsync(serving)).Probability, 0.0, 1.0);
        await AssertTrainingRunIsOneTraceAsync(host);

        // Training again through the run-time API registers version 2, which becomes production.
        using (var start = await host.CommandAsync("trainer", KnownResourceCommands.Start))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        await host.WaitForAsync("trainer", s => s.StartCount == 2 && s.State == ResourceState.Finished, s_startup);
        Assert.Equal(0, host.History.Last(s => s.Name == "trainer").ExitCode);
        Assert.Equal("2", await ProductionVersionAsync(tracking));

        // With the tracking server gone, serving keeps answering with the model it has.
        var mlflow = host.History.Last(s => s.Name == "mlflow");
        Assert.NotNull(mlflow.ProcessId);
        System.Diagnostics.Process.GetProcessById(mlflow.ProcessId.Value).Kill();
        Assert.Empty(await ProcessProbe.WaitAllGoneAsync([mlflow.ProcessId.Value], TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 5; i++)
        {
            Assert.InRange((await PredictAsync(serving)).Probability, 0.0, 1.0);
            await Task.Delay(300);
        }

        // Ctrl+C: every process ends and every port is released.
        var pids = host.History.Where(s => s.ProcessId is not null).Select(s => s.ProcessId!.Value).Distinct().ToArray();
        var ports = host.Ports.Values.Concat(PortsOf(host.History)).Distinct().ToArray();
        Assert.Equal(0, await host.InterruptAsync(TimeSpan.FromSeconds(90)));
        Assert.Empty(await ProcessProbe.WaitAllGoneAsync(pids, TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain(ports, FreePorts.IsListening);
        Assert.Contains("Dashboard: http://127.0.0.1", host.Output, StringComparison.Ordinal);
        Assert.Contains("✓ all resources ready after", host.Output, StringComparison.Ordinal);
        using var secrets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data.Path, "secrets.json")).DefaultTimeout());
        var password = secrets.RootElement.GetProperty("postgres-password").GetString()!;
        Assert.DoesNotContain(password, host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigKill_OfTheAppHost_LeavesNoChildProcess()
    {
        using var data = new AppHostDataDirectory();
        await using var host = await AppHostProcess.StartAsync(data.Path);
        await host.WaitForHealthyAsync("mlflow", s_startup);
        await host.WaitForAsync("serving", s => s.State == ResourceState.Running, s_startup);

        var pids = host.History.Where(s => s.ProcessId is not null).Select(s => s.ProcessId!.Value).Distinct().ToArray();
        Assert.True(pids.Length >= 3, $"expected postgres, tracking and serving processes, got {pids.Length}");
        await host.KillAsync();

        Assert.Empty(await ProcessProbe.WaitAllGoneAsync(pids, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task DependencyFailingToStart_FailsItsWaitersWithTheReason()
    {
        using var data = new AppHostDataDirectory();
        await using var host = await AppHostProcess.StartAsync(data.Path, "AppHost:PostgresBinDirectory=/nonexistent/postgresql/bin");

        var postgres = await host.WaitForAsync("postgres", s => s.State == ResourceState.FailedToStart, s_startup);
        Assert.Contains("PostgreSQL", postgres.Reason, StringComparison.Ordinal);
        var mlflow = await host.WaitForAsync("mlflow", s => s.State == ResourceState.FailedToStart, s_startup);
        Assert.Contains("postgres", mlflow.Reason, StringComparison.Ordinal);
        var serving = await host.WaitForAsync("serving", s => s.State == ResourceState.FailedToStart, s_startup);
        Assert.Contains("mlflow", serving.Reason, StringComparison.Ordinal);
        Assert.Contains("✗ serving", host.Output, StringComparison.Ordinal);

        // The dashboard API refuses callers without the token and accepts the login cookie.
        using var anonymous = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = host.Api.BaseAddress };
        using (var refused = await anonymous.GetAsync("/api/resources").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        using (var wrong = await anonymous.GetAsync("/login?t=not-the-token").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var login = await anonymous.GetAsync($"/login?t={host.Token}").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        using var afterLogin = await anonymous.GetAsync("/api/resources").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, afterLogin.StatusCode);
    }

    // A resource goes Starting only after everything it waits for is ready.
    private static void AssertDependencyOrder(IReadOnlyList<ResourceSnapshot> history)
    {
        long FirstVersion(string name, Func<ResourceSnapshot, bool> predicate) =>
            history.FirstOrDefault(s => s.Name == name && predicate(s))?.Version
            ?? throw new Xunit.Sdk.XunitException($"'{name}' never reached the state; history:\n{string.Join('\n', history.Select(s => $"{s.Version} {s.Name} {s.State} {s.Health}"))}");
        static bool Healthy(ResourceSnapshot s) => s.State == ResourceState.Running && s.Health == ResourceHealthStatus.Healthy;
        static bool Starting(ResourceSnapshot s) => s.State == ResourceState.Starting;

        Assert.True(FirstVersion("postgres", Healthy) < FirstVersion("trackingdb", Healthy), "trackingdb ready before postgres");
        Assert.True(FirstVersion("trackingdb", Healthy) < FirstVersion("mlflow", Starting), "mlflow started before its database");
        Assert.True(FirstVersion("mlflow", Healthy) < FirstVersion("serving", Starting), "serving started before mlflow was healthy");
        Assert.True(FirstVersion("mlflow", Healthy) < FirstVersion("trainer", Starting), "trainer started before mlflow was healthy");
        Assert.True(FirstVersion("data", s => s.State == ResourceState.Finished) < FirstVersion("trainer", Starting), "trainer started before its data");
    }

    // The whole training run is one trace in the dashboard: the trainer's stages, its calls to tracking, the tracking
    // server's spans and, as a peer, the PostgreSQL commands it ran.
    private static async Task AssertTrainingRunIsOneTraceAsync(AppHostProcess host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement? run = null;
        while (run is null && DateTime.UtcNow < deadline)
        {
            var traces = await host.Api.GetFromJsonAsync<JsonElement>("/api/traces?resource=trainer&limit=200").DefaultTimeout();
            run = traces.EnumerateArray().Where(t => t.GetProperty("rootName").GetString() == "training run").Cast<JsonElement?>().FirstOrDefault();
            if (run is null)
            {
                await Task.Delay(500);
            }
        }

        Assert.True(run is not null, "no 'training run' trace reached the dashboard");
        var services = run.Value.GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToArray();
        var peers = run.Value.GetProperty("peerServices").EnumerateArray().Select(s => s.GetString()).ToArray();
        Assert.Contains("trainer", services);
        Assert.Contains("mlflow", services);
        Assert.Contains("postgres", peers);
        Assert.True(run.Value.GetProperty("spanCount").GetInt32() > 20, $"expected the run's stages and calls in one trace, got {run}");
    }

    private static IEnumerable<int> PortsOf(IEnumerable<ResourceSnapshot> history) =>
        history.SelectMany(s => s.Urls).Select(u => new Uri(u.Url).Port).Where(p => p > 0);

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
public sealed class AppHostCollection
{
    public const string Name = "AppHost end to end";
}
