using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Serving.Telemetry;
using MlOps.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace MlOps.Tests.Serving;

/// <summary>
/// Alias polling through the app's real OpenTelemetry pipeline: polls that find nothing new record no span and no
/// log line; a move of the alias is one log line and one <c>model.reload</c> span.
/// </summary>
[Collection(ServingModelsCollection.Name)]
public sealed class QuietPollingTests(ServingModelsFixture models)
{
    [Fact]
    public async Task PollsThatFindNothingNew_RecordNothing_AndAMoveIsOneLineAndOneSpan()
    {
        using var temp = new TempDirectory();
        await using var registry = await FakeRegistry.StartAsync();
        registry.AddVersion("1", ServingModelsFixture.CopyModel(models.ModelA, temp, "v1"));
        registry.AddVersion("2", ServingModelsFixture.CopyModel(models.ModelB, temp, "v2"));
        var spans = new SpanCollector();
        var logs = new CapturedLogs();
        await using var app = new ServingApp(FakeRegistry.AliasUri, new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = registry.BaseAddress.ToString(),
            ["Model:CacheDirectory"] = temp.File("cache"),
            ["Model:PollInterval"] = "00:00:00.100",
            ["Monitoring:Shadow:Enabled"] = "false",
        }, configureServices: services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans));
        });
        using var client = app.CreateClient();
        await ServingApp.WaitHealthyAsync(client);
        await WaitPollsAsync(registry, 2);

        spans.Clear();
        logs.Records.Clear();
        await WaitPollsAsync(registry, 10);

        var registryPort = registry.BaseAddress.Port;
        Assert.Empty(spans.From(registryPort).Select(s => s.DisplayName));
        Assert.Empty(logs.At(LogLevel.Information));

        registry.AliasVersion = "2";
        await HealthWaiter.WaitAsync(client, h => h.TryGetProperty("model", out var m) && m.GetProperty("version").GetString() == "2");
        await WaitPollsAsync(registry, 3);

        var recorded = spans.From(registryPort);
        var reload = Assert.Single(recorded);
        Assert.Equal("model.reload", reload.DisplayName);
        Assert.Equal("2", reload.GetTagItem(ServingTelemetry.ModelVersionAttribute));
        Assert.Equal("1", reload.GetTagItem("mlops.model.previous_version"));
        var line = Assert.Single(logs.At(LogLevel.Information));
        Assert.Contains("version 2 loaded and warmed", line, StringComparison.Ordinal);
        Assert.Contains("replacing version 1", line, StringComparison.Ordinal);
    }

    private static async Task WaitPollsAsync(FakeRegistry registry, int polls)
    {
        var target = AliasCalls(registry) + polls;
        using var timeout = new CancellationTokenSource(TaskTimeoutExtensions.DefaultTimeoutDuration);
        while (AliasCalls(registry) < target)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static int AliasCalls(FakeRegistry registry) =>
        registry.Requests.Count(r => r.Contains("registered-models/alias", StringComparison.Ordinal));

    /// <summary>Keeps the spans the app exports, for the test to see what serving itself records.</summary>
    private sealed class SpanCollector : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _spans = new();

        public override void OnEnd(Activity data) => _spans.Enqueue(data);

        public void Clear() => _spans.Clear();

        // The process is shared: keep serving's own spans and its calls to this registry (the fake's server-side
        // spans are an artefact of running in the same process, and other tests make calls elsewhere).
        public List<Activity> From(int registryPort) =>
        [
            .. _spans.Where(s => s.Source.Name == ServingTelemetry.Name
                || (s.Kind == ActivityKind.Client && Equals(s.GetTagItem("server.port"), registryPort))),
        ];
    }
}
